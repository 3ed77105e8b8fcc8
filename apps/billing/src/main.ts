import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { BillingConfig } from './billing.config';
import { runBilling } from './run-billing';

const config = loadConfigOrExit(BillingConfig);
runBilling(config).catch((error) => {
  process.stderr.write(`billing failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
