/**
 * Runs every service's migrations (migrations/<service>/index.ts), each as that service's owner role
 * (SET ROLE at connection start, so every object a migration creates belongs to the owner and never
 * to the runtime role) and with its own migrations table in its schema. `npm run migrate [service…]`.
 */
import { DataSource } from 'typeorm';
import { SERVICES, ServiceName, serviceMigrationsUrl, serviceOwnerRole, serviceRole } from '@payflow/platform/config';
import { MIGRATIONS } from '../../migrations';

async function migrate(service: ServiceName): Promise<void> {
  const migrations = MIGRATIONS[service];
  if (!migrations || migrations.length === 0) return;
  const dataSource = new DataSource({
    type: 'postgres',
    url: serviceMigrationsUrl(service),
    schema: service,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: `${service}-migrations`,
    extra: { max: 1, options: `-c role=${serviceOwnerRole(service)} -c search_path=${service}` },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // The migrations table is the owner's record; default privileges gave the runtime role DML on it.
    await dataSource.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "${service}".migrations FROM "${serviceRole(service)}"`);
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
