/**
 * The deployable services; each has a Postgres schema of the same name and two roles: an owner role
 * that owns the schema and everything in it and runs the migrations, and a runtime role the service
 * connects with, which owns nothing and has only the rights it needs (DESIGN.md "Data ownership").
 */
export const SERVICES = ['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks', 'billing', 'dunning'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The runtime login role a service connects with: rights on its own schema's objects only, owns nothing. */
export function serviceRole(service: ServiceName): string {
  return `payflow_${service}`;
}

/** The role that owns a service's schema and its objects; migrations run as it (SET ROLE). */
export function serviceOwnerRole(service: ServiceName): string {
  return `payflow_${service}_owner`;
}

/** Environment variable of the connection migrations use, e.g. LEDGER_MIGRATIONS_DATABASE_URL. */
export function serviceMigrationsUrlVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_MIGRATIONS_DATABASE_URL`;
}

/**
 * The connection a service's migrations run on: `<SERVICE>_MIGRATIONS_DATABASE_URL` when set (a role
 * that is, or is a member of, the owner role), otherwise DATABASE_URL (the administrative role). The
 * migration tool then switches to the owner role with SET ROLE, so every object it creates is owned
 * by the owner, never by the runtime role.
 */
export function serviceMigrationsUrl(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[serviceMigrationsUrlVariable(service)];
  if (explicit) return explicit;
  const admin = env['DATABASE_URL'];
  if (!admin) throw new Error(`DATABASE_URL is required (or ${serviceMigrationsUrlVariable(service)})`);
  return admin;
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
