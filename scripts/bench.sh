#!/usr/bin/env bash
# The one benchmark command (docs/BENCHMARKS.md): the portal's own overhead against the sandbox.
# Builds Release, publishes the portal next to the benchmark, and runs every scenario; options go to the benchmark:
#   --repeats N (3)   --quick (1 repeat, fewer samples, 200k events)
#   --only startup,synth,workflow,quiet,concurrent,pages,account (the scenarios, comma-separated, in the order they run)
#   --time-scale X (0.01)   --environments N (50 deploying at once)   --account-environments N (200, pushed and polled)
#   --account-time-scale X (0.1, the account scenario's own)
#   --markdown FILE (also write the table there)
# The table goes to stdout, progress to stderr. Leaves nothing running; its data lives in a temp folder it deletes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ensure-chromium.sh
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=AKIDTESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1
dotnet build -c Release --nologo -v quiet Portal.Benchmarks >&2
portal="$PWD/Portal.Benchmarks/bin/Release/portal"
dotnet publish -c Release --no-build --nologo -v quiet Portal.Web -o "$portal" >&2
exec dotnet Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll --portal "$portal" "$@"
