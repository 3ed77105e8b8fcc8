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
  { name: 'ledger', port: 8083, portVariable: 'LEDGER_PORT' },
  { name: 'intents', port: 8081, portVariable: 'INTENTS_PORT' },
  { name: 'gateway', port: 8080, portVariable: 'API_PORT', public: true },
];

/** Local defaults; anything set in the environment wins. */
export const LOCAL_DEFAULTS: Record<string, string> = {
  INTERNAL_API_TOKEN: 'payflow-local-internal-token',
  ADMIN_API_KEY: 'payflow-local-admin-key',
  API_KEY_HASH_SECRET: 'payflow-local-api-key-hash-secret',
  WEBHOOK_ALLOW_INSECURE_URLS: 'true',
  LOG_LEVEL: 'info',
};
