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
if [ "${1:-}" = "--fast" ]; then
  shift
  exec dotnet test Portal.Tests --nologo --filter "Category=Unit|Category=Component" "$@"
fi
scripts/ensure-chromium.sh
scripts/ensure-oidc-provider.sh
scripts/ensure-postgres.sh >/dev/null
# Each pass also writes a TRX file (every test's duration) to TestResults/, to see where CI time goes.
dotnet test Portal.sln --nologo --logger "trx;LogFileName=sqlite.trx" --results-directory TestResults "$@"
# Second pass on PostgreSQL: every test that stores anything runs again with each host, worker and fixture on a
# database of its own on one throwaway cluster (Portal.Tests/Postgres/TestDatabase.cs). That is every lane but Unit and
# Component, plus the tests of those two marked Database=Stored (they store through TestDatabase); left out as well:
# the Postgres lane (two web and two worker processes on one server, which already ran), the OpenIdProvider lane (who
# someone is does not depend on the engine), the secrets-hygiene test, which inspects the SQLite files themselves, and
# the jsii temp-folder test, which stores nothing.
if [ $# -eq 0 ]; then
  PORTAL_TEST_DATABASE=Postgres dotnet test Portal.Tests --nologo --no-build \
    --logger "trx;LogFileName=postgres.trx" --results-directory TestResults \
    --filter "((Category!=Unit&Category!=Component&Category!=Postgres&Category!=OpenIdProvider)|Database=Stored)&FullyQualifiedName!~SecretsHygiene&FullyQualifiedName!~JsiiTempFolder"
fi
