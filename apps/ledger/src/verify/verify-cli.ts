/**
 * `npm run ledger:verify`: checks the whole book from the command line with the ledger's own role,
 * prints the report as JSON and exits 1 if any invariant is violated.
 */
import 'reflect-metadata';
import { loadConfigOrExit, BaseServiceConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource } from '@payflow/platform/database';
import { VerifyService } from './verify.service';

async function main(): Promise<void> {
  const config = loadConfigOrExit(BaseServiceConfig);
  const dataSource = await createServiceDataSource({ service: 'ledger', url: serviceDatabaseUrl('ledger'), poolMax: 1 }).initialize();
  try {
    const report = await new VerifyService(dataSource).verify();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.balanced ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
  void config;
}

main().catch((error) => {
  process.stderr.write(`ledger verify failed: ${(error as Error).message}\n`);
  process.exit(2);
});
