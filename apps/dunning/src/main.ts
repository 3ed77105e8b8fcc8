import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { DunningConfig } from './dunning.config';
import { runDunning } from './run-dunning';

const config = loadConfigOrExit(DunningConfig);
runDunning(config).catch((error) => {
  process.stderr.write(`dunning failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
