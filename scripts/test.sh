#!/usr/bin/env bash
# The one test command (README). Installs what a fresh machine lacks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ensure-chromium.sh
scripts/ensure-oidc-provider.sh
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=AKIDTESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1
scripts/ensure-postgres.sh >/dev/null
# Each pass also writes a TRX file (every test's duration) to TestResults/, to see where CI time goes.
dotnet test Portal.sln --nologo --logger "trx;LogFileName=sqlite.trx" --results-directory TestResults "$@"
# Second pass on PostgreSQL: every test that stores anything runs again with each host, worker and fixture on a
# database of its own on one throwaway cluster (Portal.Tests/Postgres/TestDatabase.cs). Left out: the pure unit tests
# (engine, client, sandbox, spec, stack, synthesis), Portal.Tests/Postgres (two web and two worker processes on one server, which
# already ran), sign-in at the test OpenID provider (OpenIdConnect: who someone is does not depend on the engine),
# and the secrets-hygiene test, which inspects the SQLite files themselves.
if [ $# -eq 0 ]; then
  unit=(CloudFormation Deployments Engine Environments Guardrails OpenIdConnect Postgres Sandbox Stacks Synthesis)
  filter=$(printf 'FullyQualifiedName!~Portal.Tests.%s.&' "${unit[@]}")
  PORTAL_TEST_DATABASE=Postgres dotnet test Portal.Tests --nologo --no-build \
    --logger "trx;LogFileName=postgres.trx" --results-directory TestResults --filter "${filter}FullyQualifiedName!~SecretsHygiene"
fi
