#!/usr/bin/env bash
# Runs the real Apache Kafka broker (KRaft, single node) from its Maven Central jars on the local JDK.
#   tools/infra/kafka.sh start   fetch jars if needed, format storage once, start in the background
#   tools/infra/kafka.sh stop    stop the broker this script started
# Data and logs live in the git-ignored .infra/kafka.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# KAFKA_HOME_DIR lets a harness run a broker of its own (its own data, ports and pid) beside the usual one.
home="${KAFKA_HOME_DIR:-$root/.infra/kafka}"
jars="$root/tools/kafka/target/dependency"
host="${KAFKA_HOST:-127.0.0.1}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"

die() { echo "payflow infra: $*" >&2; exit 1; }

fetch_jars() {
  [ -n "$(ls "$jars"/kafka_2.13-*.jar 2>/dev/null)" ] && return 0
  command -v mvn >/dev/null || die "Apache Maven (mvn) is needed to fetch the Kafka broker from Maven Central: apt-get install maven"
  echo "payflow infra: fetching the Kafka broker jars from Maven Central (once)"
  (cd "$root/tools/kafka" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime) || die "could not fetch the Kafka jars (mvn failed)"
}

write_config() {
  mkdir -p "$home/data" "$home/logs"
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$controller_port
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat > "$home/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$home/logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS
}

java_cmd() {
  command -v java >/dev/null || die "a Java runtime (17+) is needed for the local Kafka broker: apt-get install openjdk-17-jre-headless"
  java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$home/log4j.properties" -Dkafka.logs.dir="$home/logs" \
    -cp "$jars/*" "$@"
}

start() {
  fetch_jars
  write_config
  if [ ! -f "$home/data/meta.properties" ]; then
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n 1)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$home/server.properties" --ignore-formatted >/dev/null
  fi
  nohup bash -c "$(declare -f java_cmd die); home='$home' jars='$jars' java_cmd kafka.Kafka '$home/server.properties'" \
    > "$home/logs/stdout.log" 2>&1 &
  echo $! > "$home/kafka.pid"
}

stop() {
  [ -f "$home/kafka.pid" ] || return 0
  pid="$(cat "$home/kafka.pid")"
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  rm -f "$home/kafka.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: kafka.sh start|stop" ;;
esac
