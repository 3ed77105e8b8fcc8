// Public surface of @payflow/psp: the connector interface, both connectors, their code tables,
// currency conversions and webhook verifiers (also used by the webhooks service). Request and
// response mapping and the Adyen HTTP client stay internal to their connector folders.
export * from './core';
export * from './stripe/stripe.options';
export * from './stripe/stripe.currency';
export * from './stripe/stripe.capabilities';
export * from './stripe/stripe.codes';
export * from './stripe/stripe.webhooks';
export * from './stripe/stripe.connector';
export * from './adyen/adyen.options';
export * from './adyen/adyen.currency';
export * from './adyen/adyen.capabilities';
export * from './adyen/adyen.codes';
export * from './adyen/adyen.reference';
export * from './adyen/adyen.webhooks';
export * from './adyen/adyen.connector';
export * from './create-connectors';
