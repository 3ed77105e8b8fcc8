export * from './outbox-commit.subscriber';
export * from './outbox-relay';
export * from './outbox-schema';
export * from './outbox-writer';
export * from './kafka-send-errors';
export * from './leader-session';
export * from './outbox-batches';
export * from './outbox-metrics';
