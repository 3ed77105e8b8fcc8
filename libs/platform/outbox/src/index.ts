export * from './outbox-commit.subscriber';
export * from './outbox-relay';
export * from './outbox-schema';
export * from './outbox-writer';
