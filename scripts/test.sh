#!/usr/bin/env bash
# Runs every check: installs what the tests need, starts the test services, typechecks, lints,
# runs all tests with node's test runner.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh --with-test-deps
source scripts/node-env.sh

# Services (registries in three auth modes, the token server) are started by the test harness
# (test/harness/) for the tests that need them, on free loopback ports, and stopped after them.
export DRYDOCK_TEST_TMP=${DRYDOCK_TEST_TMP:-$(mktemp -d /tmp/drydock-test.XXXXXX)}
trap 'rm -rf "$DRYDOCK_TEST_TMP"' EXIT

echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx eslint --max-warnings=0 . && npx prettier --check --log-level=warn packages test bench scripts
echo "== tests"
# Node runs the TypeScript itself (type stripping; tsconfig.json allows erasable syntax only), and
# each test file's process reuses the code the others compiled (test/harness/compile-cache.ts).
node --import "$root/test/harness/compile-cache.ts" --test --test-concurrency=2 --test-timeout=600000 \
  "packages/*/src/**/*.test.ts" "test/**/*.test.ts" "$@"
