#!/usr/bin/env bash
# The main job: the Drydock service on the embedded database (PGlite in $DRYDOCK_DATA_DIR, default
# ~/.local/share/drydock) with in-process scan workers. On the way it starts a local registry with a
# demo image, connects it, syncs and scans it, and shows the image list; then the service runs with its
# HTTP API and web console (the first start prints the admin's one-time password) until Ctrl-C. `scripts/start.sh image REF [options]` (or any other drydock command) runs the CLI instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
source scripts/node-env.sh
# With the flags of packages/cli/bin/node-flags.js, as the launcher's #! line gives them.
drydock() { node --max-semi-space-size=4 --initial-old-space-size=64 packages/cli/bin/drydock.js "$@"; }
if [ $# -gt 0 ]; then
  drydock "$@"
  exit $?
fi

# The web console, built into static files that `drydock serve` serves at / (a few seconds).
npm run --silent build -w packages/console >&2

# The demo registry needs Debian's registry and skopeo (already there when the tests ran).
missing=()
for package in docker-registry skopeo curl; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A vulnerability database from the OSV records shipped beside the project, when there is none yet.
if [ -d ../shared/vulndata ] && ! drydock db status >/dev/null 2>&1; then
  drydock db import ../shared/vulndata >&2
fi

demo=$(mktemp -d /tmp/drydock-demo.XXXXXX)
cleanup() { WORK="$demo" bash scripts/services/stop-registries.sh; rm -rf "$demo"; }
trap cleanup EXIT
node --import tsx scripts/images/demo-image.ts "$demo/layout" >&2
WORK="$demo" bash scripts/services/start-registries.sh >&2
# shellcheck disable=SC1091
source "$demo/registries.env"
skopeo copy --quiet --dest-tls-verify=false "oci:$demo/layout:demo" "docker://$DRYDOCK_REGISTRY_NOAUTH/demo/app:1.0" >&2

# The demo connection points at this run's registry (its port changes from run to run).
drydock registry remove demo-registry >/dev/null 2>&1 || true
drydock registry add demo-registry --type registry --url "http://$DRYDOCK_REGISTRY_NOAUTH"
drydock sync
drydock scan --all --accept-fee --wait
drydock images
drydock usage
echo "drydock: the service runs now; Ctrl-C stops it (the embedded database is its own while it runs: stop it before other drydock service commands, or use DATABASE_URL)" >&2
drydock serve
