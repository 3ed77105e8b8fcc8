/**
 * The services `npm start` and the benchmarks run, in start order, with their ports. Each later
 * service is added here (and gets a build target); nothing else has to change.
 */
export interface ServiceSpec {
  name: string;
  port: number;
  portVariable: string;
  /** Whether it is the merchants' entry point (printed as "PayFlow is ready: <url>"). */
  public?: boolean;
}

export const SERVICES: ServiceSpec[] = [
  { name: 'psp-simulator', port: 8090, portVariable: 'PSP_SIMULATOR_PORT' },
  { name: 'ledger', port: 8083, portVariable: 'LEDGER_PORT' },
  { name: 'orchestrator', port: 8082, portVariable: 'ORCHESTRATOR_PORT' },
  { name: 'intents', port: 8081, portVariable: 'INTENTS_PORT' },
  { name: 'webhooks', port: 8084, portVariable: 'WEBHOOKS_PORT' },
  { name: 'billing', port: 8085, portVariable: 'BILLING_PORT' },
  { name: 'dunning', port: 8086, portVariable: 'DUNNING_PORT' },
  { name: 'gateway', port: 8080, portVariable: 'API_PORT', public: true },
];

/** Local defaults; anything set in the environment wins. */
export const LOCAL_DEFAULTS: Record<string, string> = {
  INTERNAL_API_TOKEN: 'payflow-local-internal-token',
  ADMIN_API_KEY: 'payflow-local-admin-key',
  API_KEY_HASH_SECRET: 'payflow-local-api-key-hash-secret',
  WEBHOOK_ALLOW_INSECURE_URLS: 'true',
  LOG_LEVEL: 'info',
  // The PSP simulator signs its webhooks with these; the webhooks service verifies with them.
  STRIPE_WEBHOOK_SECRET: 'whsec_payflow_local_stripe_secret',
  ADYEN_HMAC_KEY: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
  // The orchestrator's PSP connections, pointed at the PSP simulator (its keys are accepted as they are).
  STRIPE_API_KEY: 'sk_test_payflow_local',
  ADYEN_API_KEY: 'payflow_local_adyen_key',
  ADYEN_MERCHANT_ACCOUNT: 'PayFlowLocal',
};
