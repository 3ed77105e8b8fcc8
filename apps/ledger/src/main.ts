import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { runService } from '@payflow/platform/service';
import { LedgerAppModule } from './app.module';
import { LedgerConfig } from './ledger.config';

const config = loadConfigOrExit(LedgerConfig);
void runService(LedgerAppModule.forRoot(config), {
  service: 'ledger',
  port: config.LEDGER_PORT,
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
