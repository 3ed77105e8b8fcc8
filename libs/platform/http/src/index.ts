export * from './api-error';
export * from './api-exception.filter';
export * from './internal-token.guard';
export * from './validation.pipe';
export * from './request-fingerprint';
export * from './internal-request';
export * from './idempotency-records';
