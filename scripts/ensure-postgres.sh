#!/usr/bin/env bash
# PostgreSQL for the tests: Debian's server package (installed with apt when missing) and throwaway clusters.
#   scripts/ensure-postgres.sh                 install when missing; print the folder holding initdb/pg_ctl
#   scripts/ensure-postgres.sh start DIR PORT  a new cluster in DIR (data, sockets, log) on 127.0.0.1:PORT; print its connection string
#   scripts/ensure-postgres.sh stop DIR        stop that cluster at once and delete DIR
# Trust authentication on loopback only: it is a test server that lives as long as the tests.
set -euo pipefail

bin_dir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$newest" ] && [ -x "$newest/pg_ctl" ] && echo "$newest"
}

install() {
  if bin_dir >/dev/null; then return 0; fi
  echo "installing Debian's postgresql package ..." >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
  # The package starts its own cluster on 5432; the tests use clusters of their own.
  $sudo service postgresql stop >/dev/null 2>&1 || true
  bin_dir >/dev/null
}

# PostgreSQL refuses to run as root: as root, run it as an unprivileged user.
as_server() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  local user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  runuser -u "$user" -- "$@"
}

server_owner() {
  if [ "$(id -u)" -ne 0 ]; then return; fi
  local user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  chown -R "$user" "$1"
}

case "${1:-}" in
  "")
    install
    bin_dir
    ;;
  start)
    dir="$2"; port="$3"
    install
    bin="$(bin_dir)"
    mkdir -p "$dir/data" "$dir/run"
    chmod 755 "$dir"
    server_owner "$dir"
    as_server "$bin/initdb" -D "$dir/data" -U portal --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Throwaway: no durability needed; room for several portal hosts at once, each with its pools, its live-events
    # listener and a claim connection per running job (Jobs:WorkerCount, 40).
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=portal;Database=postgres"
    ;;
  stop)
    dir="$2"
    bin="$(bin_dir)"
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 [start DIR PORT | stop DIR]" >&2
    exit 2
    ;;
esac
