import { Gauge, register } from 'prom-client';

interface AssignmentReporter {
  isReady(): boolean;
}

const reporters = new Map<string, AssignmentReporter>();

/**
 * 1 while a consumer's group is joined with partitions assigned, 0 while it is not (a Kafka outage,
 * a crashed consumer). Readiness ignores Kafka once started (DESIGN.md), so this is where it shows.
 */
const consumerAssigned =
  (register.getSingleMetric('consumer_group_assigned') as Gauge | undefined) ??
  new Gauge({
    name: 'consumer_group_assigned',
    help: 'Whether the consumer group has joined and holds partitions (1) or not (0)',
    labelNames: ['consumer'],
    collect() {
      for (const [consumer, reporter] of reporters) this.set({ consumer }, reporter.isReady() ? 1 : 0);
    },
  });

export function reportConsumerState(consumer: string, reporter: AssignmentReporter): void {
  reporters.set(consumer, reporter);
  consumerAssigned.set({ consumer }, reporter.isReady() ? 1 : 0);
}
