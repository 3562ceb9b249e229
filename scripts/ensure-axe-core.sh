#!/usr/bin/env bash
# axe-core for the browser tests' accessibility audit: npm axe-core, pinned by Portal.Tests/Browser/axe/package-lock.json.
# Installs it into that folder's node_modules (ignored) when missing or older than the lock file; npm's cache makes a
# repeat install work offline. The tests run this themselves on first use (Portal.Tests/Browser/Accessibility.cs).
set -euo pipefail
cd "$(dirname "$0")/../Portal.Tests/Browser/axe"
if [ node_modules/.package-lock.json -nt package-lock.json ]; then exit 0; fi
echo "installing axe-core for the browser tests ..." >&2
npm ci --prefer-offline --no-audit --no-fund --silent >&2
