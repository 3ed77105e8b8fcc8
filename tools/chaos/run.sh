#!/usr/bin/env bash
# `npm run chaos -- [--seed S] [--payments N] [--faults none|all|<kind,…>] [--psp-faults none|all|<fault,…>]
# [--short]` (docs/chaos.md).
# Prepares Node 24, the dependencies, the machine's Redis and a build of the services (only when
# dist/apps/*/main.js is missing or older than the sources), then runs the harness, which starts its
# OWN Postgres cluster and Kafka broker and stops everything it started when it ends.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. tools/dev/node-env.sh
bash tools/dev/install.sh
. tools/infra/defaults.sh
# Redis is the machine's (with a key prefix of the harness's own); up.sh starts only what does not answer.
bash tools/infra/up.sh >&2

services=(psp-simulator ledger orchestrator intents webhooks billing dunning gateway)
stale=()
for service in "${services[@]}"; do
  main="dist/apps/$service/main.js"
  if [ ! -f "$main" ] || [ -n "$(find "apps/$service" libs migrations -name '*.ts' -newer "$main" -print -quit)" ]; then
    stale+=("$service")
  fi
done
# CHAOS_SKIP_BUILD=1 runs whatever dist/ holds (e.g. while sources are being edited).
if [ "${#stale[@]}" -gt 0 ] && [ "${CHAOS_SKIP_BUILD:-}" != 1 ]; then
  echo "chaos: building ${stale[*]}" >&2
  npx nx run-many -t build --projects="$(IFS=,; echo "${stale[*]}")" --outputStyle=static >/dev/null
fi
exec npx tsx tools/chaos/main.ts "$@"
