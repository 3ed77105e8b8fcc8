import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { runService } from '@payflow/platform/service';
import { OrchestratorAppModule } from './app.module';
import { OrchestratorConfig } from './orchestrator.config';

const config = loadConfigOrExit(OrchestratorConfig);
runService(OrchestratorAppModule.forRoot(config), {
  service: 'orchestrator',
  port: config.ORCHESTRATOR_PORT,
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
}).catch((error) => {
  process.stderr.write(
    `orchestrator failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
