#!/usr/bin/env bash
# Runs one of PayFlow's TypeScript command-line tools (`npm run dlq`, `npm run replay:ledger`) on
# Node 24 with the local infrastructure defaults: `run-tool.sh <file.ts> [args…]`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. tools/dev/node-env.sh
. tools/infra/defaults.sh
exec npx tsx "$@"
