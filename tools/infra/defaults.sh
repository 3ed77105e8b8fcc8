# shellcheck shell=bash
# Local defaults for the infrastructure URLs; anything already set in the environment wins.
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/payflow}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
