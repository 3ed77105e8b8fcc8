// Billing's public request DTOs (API.md, "Subscriptions and invoices", "Dunning settings"): the
// gateway validates with them at the edge, billing (and dunning) again behind it.
export * from './billing-ids';
export * from './unix-time';
export * from './page.query';
export * from './customers.requests';
export * from './prices.requests';
export * from './subscriptions.requests';
export * from './invoices.requests';
export * from './test-clocks.requests';
export * from './billing-settings.requests';
export * from './dunning-settings.requests';
