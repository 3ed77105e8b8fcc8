#!/usr/bin/env bash
# Installs the npm dependencies with Node 24 when node_modules is missing or older than the lock file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=node-env.sh
. tools/dev/node-env.sh
stamp=node_modules/.payflow-lock-sha
want="$(node -v) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "payflow: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
