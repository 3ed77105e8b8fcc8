#!/usr/bin/env bash
# `npm run bench:<name>`: prepares what the benchmark needs (Node 24, dependencies, infrastructure,
# schemas, topics, a build of the services it starts), then runs tools/bench/<name>.ts. The
# benchmark starts and stops what it measures and prints its result as one JSON line, last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
name="${1:?usage: run.sh <benchmark>}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/payflow_bench}"
# Fresh topics for every run: a consumer group joining for the first time reads its topics from the
# beginning, and earlier runs' backlog would be measured instead of this run.
export KAFKA_TOPIC_PREFIX="${KAFKA_TOPIC_PREFIX:-bench.$(date +%s).}"
. tools/dev/prepare.sh >&2
if [ -f "tools/bench/$name.build" ]; then
  echo "payflow bench: building $(cat "tools/bench/$name.build")" >&2
  npx nx run-many -t build --projects="$(cat "tools/bench/$name.build")" --outputStyle=static >/dev/null
fi
status=0
npx tsx "tools/bench/$name.ts" "${@:2}" || status=$?
npx tsx tools/bench/drop-topics.ts "$KAFKA_TOPIC_PREFIX" >&2 || true
exit "$status"
