#!/usr/bin/env bash
# The main job. Until the service lands it is the scanner's command line:
#   scripts/start.sh image REF [options]     (default: a demo image built and scanned locally)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
source scripts/node-env.sh
if [ $# -eq 0 ]; then
  # A vulnerability database from the OSV records shipped beside the project, when there is none yet.
  if [ -d ../shared/vulndata ] && ! node --import tsx packages/cli/src/main.ts db status >/dev/null 2>&1; then
    node --import tsx packages/cli/src/main.ts db import ../shared/vulndata >&2
  fi
  demo=$(mktemp -d /tmp/drydock-demo.XXXXXX)
  trap 'rm -rf "$demo"' EXIT
  node --import tsx scripts/images/demo-image.ts "$demo/layout" >&2
  set -- image "oci:$demo/layout:demo"
fi
node --import tsx packages/cli/src/main.ts "$@"
