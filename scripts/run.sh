#!/usr/bin/env bash
# The one command that runs the portal (README "Run the portal"): http://127.0.0.1:5000 in the Development environment
# (Portal.Web's launch profile), so with appsettings.Development.json's sandbox target and development sign-in; SQLite
# under data/. Extra arguments go to the portal (e.g. --Portal:DataDir=/tmp/portal).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# dotnet run starts in Portal.Web/; keep the database in the repository's data/ folder.
exec dotnet run --project Portal.Web --urls http://127.0.0.1:5000 -- --Portal:DataDir="$PWD/data" "$@"
