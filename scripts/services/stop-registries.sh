#!/usr/bin/env bash
# Stops what start-registries.sh started in the same WORK (only the PIDs it recorded).
# usage: WORK=... bash scripts/services/stop-registries.sh
: "${WORK:?set WORK to the directory given to start-registries.sh}"
for f in "$WORK"/registry-noauth.pid "$WORK"/registry-basic.pid "$WORK"/registry-token.pid "$WORK"/token-server.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
done
rm -f "$WORK/registries.env"
exit 0
