import type { ReadinessCheck } from '../readiness-check';

/**
 * A start-up condition: down until `check` first reports up, then up for good. Kafka is one
 * (DESIGN.md): a service is not ready before its producer connected and its consumers got their
 * first partitions, but a later broker outage is absorbed by the outbox and shows in metrics, not
 * in readiness (taking every replica out of the load balancer would only turn it into an outage).
 */
export function latchedCheck(check: ReadinessCheck): ReadinessCheck {
  let reached = false;
  return {
    name: check.name,
    check: async () => {
      if (reached) return true;
      reached = await check.check();
      return reached;
    },
  };
}
