export * from './batch-event-pattern';
export * from './inbox-context';
export * from './inbox-store';
export * from './kafka';
export * from './kafka-inbox.server';
