#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the infrastructure, then runs lint, the type-check,
# the unit tests and the integration tests against real Postgres, Redis and Kafka, the end-to-end
# tests, and last the short seeded chaos run (on a Postgres and a Kafka of its own, docs/chaos.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# Tests use their own database, so they never disturb what `npm start` runs.
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/payflow_test}"
export KAFKA_TOPIC_PREFIX="${KAFKA_TOPIC_PREFIX:-test.}"
. tools/dev/prepare.sh
step() { printf '\n=== %s\n' "$*"; }
step "lint";              npm run -s lint
step "type-check";        npm run -s typecheck
step "unit tests";        npm run -s test:unit
step "integration tests"; npm run -s test:integration
step "build";             npx nx run-many -t build --outputStyle=static >/dev/null
step "end-to-end tests";  npm run -s test:e2e
step "chaos (short)";     npm run -s chaos -- --short --seed 1
