// Public surface of @payflow/contracts: the only code PayFlow's services share about each other.
// It depends on nothing of ours and does no I/O (DESIGN.md, "Events" and "Layout").
export * from './envelope';
export * from './topics';
export * from './currencies';
export * from './money';
export * from './objects/provider';
export * from './objects/payment-intent-status';
export * from './objects/last-error.object';
export * from './objects/payment-intent.object';
export * from './objects/refund.object';
export * from './objects/billing/billing-objects';
export * from './objects/dunning/dunning-objects';
export * from './events/intents.events';
export * from './events/orchestrator.events';
export * from './events/webhooks.events';
export * from './events/ledger.events';
export * from './events/gateway.events';
export * from './events/billing.events';
export * from './events/dunning.events';
export * from './events/catalogue';
export * from './events/create-event';
export * from './validate';
export { IsCurrency } from './validation/is-currency';
export { IsTimestamp, isTimestamp } from './validation/is-timestamp';
export { IsAmountMinor, IsNonNegativeAmountMinor } from './validation/amounts';
