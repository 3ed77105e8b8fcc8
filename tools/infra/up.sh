#!/usr/bin/env bash
# Makes Postgres 15+, Redis 7 and Kafka reachable at DATABASE_URL, REDIS_URL and KAFKA_BROKERS,
# starting only what does not already answer: through docker-compose.yml when a Docker engine
# answers, otherwise from local binaries (OS packages for Postgres and Redis, the Apache Kafka broker
# from Maven Central jars on the local JDK). Idempotent and quick when everything is up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=defaults.sh
. "$root/tools/infra/defaults.sh"

say() { echo "payflow infra: $*" >&2; }
die() { say "$*"; exit 1; }

# host:port of a URL such as postgres://user@host:5432/db or redis://host:6379
host_of() { local h="${1#*://}"; h="${h#*@}"; h="${h%%/*}"; echo "${h%%:*}"; }
port_of() { local h="${1#*://}"; h="${h#*@}"; h="${h%%/*}"; [[ "$h" == *:* ]] && echo "${h##*:}" || echo "$2"; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { # name host port seconds
  local i
  for ((i = 0; i < $4 * 5; i++)); do answers "$2" "$3" && return 0; sleep 0.2; done
  die "$1 did not answer on $2:$3 within $4 s"
}
docker_ok() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
apt_install() {
  [ "$(id -u)" = 0 ] || die "$* missing and this user cannot install packages: install $* (Debian: apt-get install $*)"
  say "installing $* from Debian's packages"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "could not install $* with apt-get"
}

pg_host=$(host_of "$DATABASE_URL"); pg_port=$(port_of "$DATABASE_URL" 5432)
redis_host=$(host_of "$REDIS_URL"); redis_port=$(port_of "$REDIS_URL" 6379)
first_broker="${KAFKA_BROKERS%%,*}"; kafka_host="${first_broker%%:*}"; kafka_port="${first_broker##*:}"

start_postgres() {
  if docker_ok; then docker compose -f "$root/docker-compose.yml" up -d postgres; return; fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then apt_install postgresql; fi
  local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
  [ "${version%%.*}" -ge 15 ] || die "PostgreSQL $version is too old: PayFlow needs 15+"
  # Local development only: trust connections from this machine, as the CI machines are set up.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
}

start_redis() {
  if docker_ok; then docker compose -f "$root/docker-compose.yml" up -d redis; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$root/.infra/redis"
  redis-server --daemonize yes --bind "$redis_host" --port "$redis_port" --save "" --appendonly no \
    --dir "$root/.infra/redis" --logfile "$root/.infra/redis/redis.log"
}

start_kafka() {
  if docker_ok; then docker compose -f "$root/docker-compose.yml" up -d kafka; return; fi
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  KAFKA_HOST="$kafka_host" KAFKA_PORT="$kafka_port" "$root/tools/infra/kafka.sh" start
}

answers "$pg_host" "$pg_port" || { say "starting PostgreSQL"; start_postgres; }
answers "$redis_host" "$redis_port" || { say "starting Redis"; start_redis; }
answers "$kafka_host" "$kafka_port" || { say "starting Kafka"; start_kafka; }
wait_for PostgreSQL "$pg_host" "$pg_port" 60
wait_for Redis "$redis_host" "$redis_port" 30
wait_for Kafka "$kafka_host" "$kafka_port" 90
say "PostgreSQL $pg_host:$pg_port, Redis $redis_host:$redis_port and Kafka $kafka_host:$kafka_port answer"
