export * from './batch-event-pattern';
export * from './consumer-offsets';
export * from './inbox-context';
export * from './inbox-store';
export * from './kafka';
export * from './kafka-inbox.server';
