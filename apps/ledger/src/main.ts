import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { runService } from '@payflow/platform/service';
import { LedgerAppModule } from './app.module';
import { LedgerConfig } from './ledger.config';

const config = loadConfigOrExit(LedgerConfig);
runService(LedgerAppModule.forRoot(config), {
  service: 'ledger',
  port: config.LEDGER_PORT,
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
}).catch((error) => {
  process.stderr.write(`ledger failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
