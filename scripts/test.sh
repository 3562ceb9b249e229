#!/usr/bin/env bash
# The one test command (README). With no arguments (CI, .ci/run): installs what a fresh machine lacks, then runs every
# test, once on SQLite and again on PostgreSQL.
#   scripts/test.sh --fast [dotnet test options]   the Unit and Component lanes only: nothing to install, no servers.
#   scripts/test.sh <dotnet test options>          one SQLite pass with these options, e.g. --filter Category=Api.
# The lanes (Category trait) are in Portal.Tests/Support/Lanes.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=AKIDTESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1
# Tiered PGO instruments hot methods to compile them again later: worth it in a portal that runs for days, pure cost in
# test processes (and the portal processes they start) that live seconds to minutes. The fast lane ran about 15% faster
# without it on 2 cores. Tests only: scripts/run.sh and production keep the runtime's default.
export DOTNET_TieredPGO=0
if [ "${1:-}" = "--fast" ]; then
  shift
  exec dotnet test Portal.Tests --nologo --filter "Category=Unit|Category=Component" "$@"
fi
scripts/ensure-chromium.sh
scripts/ensure-oidc-provider.sh
scripts/ensure-axe-core.sh
scripts/ensure-postgres.sh >/dev/null
if [ $# -gt 0 ]; then
  exec dotnet test Portal.sln --nologo --logger "trx;LogFileName=sqlite.trx" --results-directory TestResults "$@"
fi
# Each pass writes a TRX file (every test's duration) to TestResults/, to see where CI time goes. The passes run one
# after the other: side by side on 2 cores, the load tests of both starved each other past their deadlines.
dotnet test Portal.sln --nologo --logger "trx;LogFileName=sqlite.trx" --results-directory TestResults
# The second pass: every test whose storage could behave differently runs again on PostgreSQL, each host, worker and
# fixture on a database of its own on one throwaway cluster (Portal.Tests/Postgres/TestDatabase.cs). That is the Api,
# Faults and Load lanes, plus the Unit and Component tests marked Database=Stored (they store through TestDatabase),
# less those marked Database=SqliteOnly (each says why: it reads the SQLite files, or no engine affects what it proves).
# Left out as well: the Browser lane (pages render what the Api lane's queries return, which this pass checks), the
# Postgres lane (two web and two worker processes on one server, which already ran) and the OpenIdProvider lane (who
# someone is does not depend on the engine).
PORTAL_TEST_DATABASE=Postgres dotnet test Portal.Tests --nologo --no-build \
  --logger "trx;LogFileName=postgres.trx" --results-directory TestResults \
  --filter "(Category=Api|Category=Faults|Category=Load|Database=Stored)&Database!=SqliteOnly"
