#!/usr/bin/env bash
# `npm start`: installs what is missing, starts Postgres/Redis/Kafka, runs migrations, builds every
# service, starts them all and prints where to reach PayFlow. Ctrl-C stops everything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. tools/dev/prepare.sh
echo "payflow: building the services" >&2
npx nx run-many -t build --outputStyle=static >/dev/null
exec npx tsx tools/dev/start.ts
