import type { ReadinessCheck } from '../readiness-check';

/** The part of `KafkaInboxServer` readiness needs: true once its group is joined and partitions assigned. */
export interface ReadyReporter {
  isReady(): boolean;
}

/** Every Kafka consumer of the service has joined its group and been assigned partitions. */
export function kafkaConsumersCheck(servers: readonly ReadyReporter[]): ReadinessCheck {
  return {
    name: 'kafka',
    check: () => servers.every((server) => server.isReady()),
  };
}
