import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { startSimulator } from './simulator-app';
import { SimulatorConfig } from './simulator.config';

const config = loadConfigOrExit(SimulatorConfig);
startSimulator(config).catch((error) => {
  process.stderr.write(
    `psp-simulator failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
