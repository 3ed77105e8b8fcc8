import { Counter, Histogram, register } from 'prom-client';

function getOrCreate<T>(name: string, create: () => T): T {
  // Several app instances in one process (tests) share prom-client's default registry.
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const pspWebhookEventsTotal = getOrCreate(
  'webhooks_psp_events_total',
  () =>
    new Counter({
      name: 'webhooks_psp_events_total',
      help: 'PSP webhook events by outcome: stored, duplicate, unpublishable (stored raw, not published), unusable (signed but unreadable, stored raw), signature_invalid, payload_invalid',
      labelNames: ['provider', 'outcome'],
    }),
);

export const pspWebhookAckSeconds = getOrCreate(
  'webhooks_psp_ack_seconds',
  () =>
    new Histogram({
      name: 'webhooks_psp_ack_seconds',
      help: 'Time from receiving a PSP webhook to acknowledging it (verification and the storing transaction)',
      labelNames: ['provider'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
);

export const pspCommitBatchEvents = getOrCreate(
  'webhooks_psp_commit_batch_events',
  () =>
    new Histogram({
      name: 'webhooks_psp_commit_batch_events',
      help: 'PSP events written per storing transaction (group commit: requests waiting while one commits share the next)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
    }),
);

export const pspCommitSeconds = getOrCreate(
  'webhooks_psp_commit_seconds',
  () =>
    new Histogram({
      name: 'webhooks_psp_commit_seconds',
      help: 'Duration of one storing transaction (raw rows and outbox rows)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    }),
);
