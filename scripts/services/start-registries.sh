#!/usr/bin/env bash
# Starts three Debian docker-registry instances on 127.0.0.1 for manual use and benches:
#   no auth, htpasswd Basic auth, and Bearer token auth backed by scripts/services/token-server.ts.
# usage: WORK=$(mktemp -d) bash scripts/services/start-registries.sh
#   optional: REG_PORT REG_BASIC_PORT REG_TOKEN_PORT TOKEN_PORT (free ports are picked when unset),
#             REG_USER (alice) REG_PASSWORD (s3cret), TOKEN_EXPIRES_IN (300)
# Writes $WORK/registries.env (source it) and PID files; stop with stop-registries.sh (same WORK).
set -euo pipefail
: "${WORK:?set WORK to an empty scratch dir}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../node-env.sh
source "$ROOT/scripts/node-env.sh"
REG_USER=${REG_USER:-alice}; REG_PASSWORD=${REG_PASSWORD:-s3cret}; TOKEN_EXPIRES_IN=${TOKEN_EXPIRES_IN:-300}

free_port() { node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port_free() { if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then echo "port $1 already in use" >&2; exit 1; fi; }
# wait_for NAME PIDFILE LOG CMD...: poll CMD until it succeeds; fail fast when the process died.
wait_for() { local what=$1 pid; pid=$(cat "$2"); local log=$3; shift 3
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { echo "$what exited; log:" >&2; tail -5 "$log" >&2; exit 1; }
    "$@" >/dev/null 2>&1 && return 0; sleep 0.05
  done; echo "$what not ready after 15 s" >&2; exit 1; }
# answers_as PORT ID: the registry on PORT is ours (its instance header), not an old process on the same port.
answers_as() { curl -s -o /dev/null -D - "http://127.0.0.1:$1/v2/" | tr -d '\r' | grep -qi "^x-drydock-registry: $2\$"; }

REG_PORT=${REG_PORT:-$(free_port)}; REG_BASIC_PORT=${REG_BASIC_PORT:-$(free_port)}
REG_TOKEN_PORT=${REG_TOKEN_PORT:-$(free_port)}; TOKEN_PORT=${TOKEN_PORT:-$(free_port)}
for p in "$REG_PORT" "$REG_BASIC_PORT" "$REG_TOKEN_PORT" "$TOKEN_PORT"; do port_free "$p"; done
mkdir -p "$WORK/registry"
umask 077

# registry_config NAME PORT AUTH_YAML → $WORK/registry/NAME.yml
registry_config() {
  local name=$1 port=$2 auth=$3 id
  id=$(cat /proc/sys/kernel/random/uuid)
  cat > "$WORK/registry/$name.yml" <<YML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: "$WORK/registry/data-$name"}
  delete: {enabled: true}
http:
  addr: "127.0.0.1:$port"
  secret: "$(cat /proc/sys/kernel/random/uuid)"
  headers:
    X-Drydock-Registry: ["$id"]
$auth
YML
  echo "$id"
}

start_registry() { local name=$1 port=$2 id=$3
  docker-registry serve "$WORK/registry/$name.yml" > "$WORK/registry/$name.log" 2>&1 & echo $! > "$WORK/registry-$name.pid"
  wait_for "registry-$name" "$WORK/registry-$name.pid" "$WORK/registry/$name.log" answers_as "$port" "$id"
}

# 1. No auth.
ID=$(registry_config noauth "$REG_PORT" "")
start_registry noauth "$REG_PORT" "$ID"

# 2. htpasswd Basic auth (bcrypt lines from htpasswd -B).
htpasswd -Bbn "$REG_USER" "$REG_PASSWORD" > "$WORK/registry/htpasswd"
ID=$(registry_config basic "$REG_BASIC_PORT" "auth:
  htpasswd: {realm: drydock-test-realm, path: \"$WORK/registry/htpasswd\"}")
start_registry basic "$REG_BASIC_PORT" "$ID"

# 3. Token auth: key + self-signed certificate, the token server, then the registry trusting the certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/registry/token.key" -out "$WORK/registry/token.crt" \
  -days 3650 -subj /CN=drydock-test-token-issuer 2> "$WORK/registry/openssl.log"
printf '{"users":[{"username":%s,"password":%s}]}\n' \
  "$(jq -Rn --arg v "$REG_USER" '$v')" "$(jq -Rn --arg v "$REG_PASSWORD" '$v')" > "$WORK/registry/token-users.json"
node --import tsx "$ROOT/scripts/services/token-server.ts" --port "$TOKEN_PORT" --key "$WORK/registry/token.key" \
  --cert "$WORK/registry/token.crt" --users "$WORK/registry/token-users.json" --expires-in "$TOKEN_EXPIRES_IN" \
  > "$WORK/registry/token-server.log" 2>&1 & echo $! > "$WORK/token-server.pid"
wait_for token-server "$WORK/token-server.pid" "$WORK/registry/token-server.log" curl -sf "http://127.0.0.1:$TOKEN_PORT/healthz"
ID=$(registry_config token "$REG_TOKEN_PORT" "auth:
  token:
    realm: \"http://127.0.0.1:$TOKEN_PORT/token\"
    service: drydock-test-registry
    issuer: drydock-test-issuer
    rootcertbundle: \"$WORK/registry/token.crt\"")
start_registry token "$REG_TOKEN_PORT" "$ID"

cat > "$WORK/registries.env" <<ENV
DRYDOCK_REGISTRY_NOAUTH=127.0.0.1:$REG_PORT
DRYDOCK_REGISTRY_BASIC=127.0.0.1:$REG_BASIC_PORT
DRYDOCK_REGISTRY_TOKEN=127.0.0.1:$REG_TOKEN_PORT
DRYDOCK_TOKEN_SERVER=http://127.0.0.1:$TOKEN_PORT
DRYDOCK_REGISTRY_USER=$REG_USER
DRYDOCK_REGISTRY_PASSWORD=$REG_PASSWORD
DRYDOCK_REGISTRY_DATA_NOAUTH=$WORK/registry/data-noauth
ENV
echo "registries up: none 127.0.0.1:$REG_PORT, basic 127.0.0.1:$REG_BASIC_PORT, token 127.0.0.1:$REG_TOKEN_PORT (token server :$TOKEN_PORT); env in $WORK/registries.env"
