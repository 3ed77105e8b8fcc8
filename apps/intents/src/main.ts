import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { runService } from '@payflow/platform/service';
import { IntentsAppModule } from './app.module';
import { IntentsConfig } from './intents.config';

const config = loadConfigOrExit(IntentsConfig);
runService(IntentsAppModule.forRoot(config), {
  service: 'intents',
  port: config.INTENTS_PORT,
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
}).catch((error) => {
  process.stderr.write(`intents failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
