#!/usr/bin/env bash
# One-time setup on a fresh machine (idempotent): Node 24, the project's npm packages, and with
# `--with-test-deps` the Debian packages the tests need. Other scripts source scripts/node-env.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=node-env.sh
source scripts/node-env.sh
if [ "${1:-}" = "--with-test-deps" ]; then bash scripts/debian-packages.sh; fi
stamp=node_modules/.drydock-install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$(node --version)" ]; then
  echo "drydock: installing npm packages for $(node --version)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  node --version > "$stamp"
fi
# The CLI's bundle (packages/cli/bin/bundle.js): built at every setup, about half a second, so the
# launcher never finds it stale after a checkout.
node scripts/build-cli.mjs
