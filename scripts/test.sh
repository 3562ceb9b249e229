#!/usr/bin/env bash
# The one test command (README). Installs what a fresh machine lacks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ensure-chromium.sh
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=AKIDTESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1
scripts/ensure-postgres.sh >/dev/null
dotnet test Portal.sln --nologo "$@"
# Second pass on PostgreSQL (each test host starts its own throwaway cluster): the tests of the shared portal host.
# Portal.Tests/Postgres (two web and two worker processes on one server) already ran in the first pass.
if [ $# -eq 0 ]; then
  PORTAL_TEST_DATABASE=Postgres dotnet test Portal.Tests --nologo --no-build \
    --filter "FullyQualifiedName~Portal.Tests.Api|FullyQualifiedName~Portal.Tests.Browser|FullyQualifiedName~Portal.Tests.Hostile|FullyQualifiedName~Portal.Tests.Load.WatchersTests|FullyQualifiedName~Portal.Tests.Drift.DriftApiTests|FullyQualifiedName~Portal.Tests.Drift.DriftBrowserTests"
fi
