/** The deployable services; each owns a Postgres schema and a login role of the same name. */
export const SERVICES = ['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks', 'billing', 'dunning'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The login role a service connects with (rights on its own schema only). */
export function serviceRole(service: ServiceName): string {
  return `payflow_${service}`;
}

/** Environment variable that overrides a service's connection string, e.g. LEDGER_DATABASE_URL. */
export function serviceDatabaseUrlVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_DATABASE_URL`;
}

/**
 * A service's own connection string: `<SERVICE>_DATABASE_URL` when set, otherwise derived for local
 * runs from the cluster named by DATABASE_URL with the service's role (its password equals its name
 * locally; production sets `<SERVICE>_DATABASE_URL` from a secret).
 */
export function serviceDatabaseUrl(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[serviceDatabaseUrlVariable(service)];
  if (explicit) return explicit;
  if (!env['DATABASE_URL']) {
    throw new Error(`DATABASE_URL is required (or ${serviceDatabaseUrlVariable(service)})`);
  }
  const url = new URL(env['DATABASE_URL']);
  url.username = serviceRole(service);
  url.password = serviceRole(service);
  return url.toString();
}
