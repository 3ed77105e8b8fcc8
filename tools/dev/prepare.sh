#!/usr/bin/env bash
# Everything a run needs before the services: Node 24, npm dependencies, Postgres/Redis/Kafka, the
# database roles, schemas and topics, and every service's migrations. Sourced by start.sh and test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. tools/dev/node-env.sh
bash tools/dev/install.sh
. tools/infra/defaults.sh
bash tools/infra/up.sh
npx tsx tools/db/bootstrap.ts
npx tsx tools/db/migrate.ts
