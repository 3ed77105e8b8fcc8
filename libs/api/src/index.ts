// Public request DTOs of API.md: class-validator rules (the gateway validates with them at the edge,
// the owning service again behind it) plus @nestjs/swagger metadata for the OpenAPI document.
export * from './payment-intents/create-payment-intent.request';
export * from './payment-intents/authorize.request';
export * from './payment-intents/capture.request';
export * from './payment-intents/cancel.request';
export * from './payment-intents/list-payment-intents.query';
export * from './refunds/refund.request';
export * from './validation/amount';
export * from './validation/currency';
export * from './validation/metadata';
export * from './validation/payment-method';
export * from './validation/idempotency-key';
export * from './webhooks/merchant-event-types';
export * from './webhooks/webhook-url';
export * from './webhooks/enabled-events';
export * from './webhooks/create-webhook-endpoint.request';
export * from './webhooks/update-webhook-endpoint.request';
export * from './webhooks/list-queries';
export * from './billing';
