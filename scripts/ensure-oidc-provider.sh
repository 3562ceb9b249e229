#!/usr/bin/env bash
# The OpenID provider of the sign-in tests: npm oidc-provider, pinned by Portal.Tests/Hosting/openid-provider/package-lock.json.
# Installs it into that folder's node_modules (ignored) when missing or older than the lock file; npm's cache makes a
# repeat install work offline. The tests run this themselves on first use (Portal.Tests/Hosting/OpenIdProvider.cs).
set -euo pipefail
cd "$(dirname "$0")/../Portal.Tests/Hosting/openid-provider"
if [ node_modules/.package-lock.json -nt package-lock.json ]; then exit 0; fi
echo "installing oidc-provider for the sign-in tests ..." >&2
npm ci --prefer-offline --no-audit --no-fund --silent >&2
