export * from './outbox-relay.lifecycle';
export * from './run-service';
export * from './service-runtime.module';
export * from './service-runtime.options';
