export * from './batch-event-pattern';
export * from './consumer-offsets';
export { REDRIVEN_FOR_HEADER, isAddressedTo } from './dead-letter';
export * from './inbox-context';
export * from './inbox-store';
export * from './kafka';
export * from './kafka-inbox.server';
