import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { GatewayConfig } from './config/gateway.config';
import { runGateway } from './run-gateway';

const config = loadConfigOrExit(GatewayConfig);
runGateway(config).catch((error) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
