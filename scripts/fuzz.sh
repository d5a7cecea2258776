#!/usr/bin/env bash
# The long fuzzing run: the properties of test/fuzz with a large budget and a fresh random seed per
# round, round after round until FUZZ_MINUTES have passed (default: one round). A failing round
# stops the run; its output names the seed and the shrunk input, and
# `FUZZ_SEED=<seed> FUZZ_RUNS=<runs> node --test test/fuzz/<file>` replays it.
#   FUZZ_RUNS     inputs per property (default 50000, 200 times the CI budget)
#   FUZZ_MINUTES  keep starting rounds until this many minutes have passed (default 0: one round)
#   FUZZ_FILES    which test files (default: all of test/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

runs="${FUZZ_RUNS:-50000}"
minutes="${FUZZ_MINUTES:-0}"
files="${FUZZ_FILES:-test/fuzz/*.test.ts}"
deadline=$(($(date +%s) + minutes * 60))
round=0
while :; do
  round=$((round + 1))
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  echo "fuzz round ${round}: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}"
  # shellcheck disable=SC2086 # the file list is a glob
  if ! FUZZ_RUNS="${runs}" FUZZ_SEED="${seed}" node --test --test-concurrency=2 ${files}; then
    echo "fuzz round ${round} failed: replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs}" >&2
    exit 1
  fi
  [ "$(date +%s)" -lt "${deadline}" ] || break
done
echo "fuzz: ${round} round(s) passed"
