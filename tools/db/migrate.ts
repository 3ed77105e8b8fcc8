/**
 * Runs every service's migrations (migrations/<service>/index.ts), each with that service's own role
 * and its own migrations table in its schema. `npm run migrate [service…]`.
 */
import { SERVICES, ServiceName, serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource } from '@payflow/platform/database';
import { MIGRATIONS } from '../../migrations';

async function migrate(service: ServiceName): Promise<void> {
  const migrations = MIGRATIONS[service];
  if (!migrations || migrations.length === 0) return;
  const dataSource = createServiceDataSource({ service, url: serviceDatabaseUrl(service), poolMax: 1, migrations });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`payflow migrate: ${service}: ${applied.length} applied, ${migrations.length} known\n`);
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2) as ServiceName[];
  const unknown = requested.filter((s) => !SERVICES.includes(s));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}`);
  for (const service of requested.length > 0 ? requested : SERVICES) await migrate(service);
}

main().catch((error) => {
  process.stderr.write(`payflow migrate failed: ${(error as Error).message}\n`);
  process.exit(1);
});
