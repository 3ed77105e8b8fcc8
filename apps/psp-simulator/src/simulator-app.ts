import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@payflow/platform/config';
import { SimulatorAppModule } from './app.module';
import { SimulatorConfig } from './simulator.config';

/**
 * Builds and starts the simulator on `config.PSP_SIMULATOR_PORT` (0: any free port). Used by
 * main.ts and by tests that run it in-process.
 */
export async function startSimulator(config: SimulatorConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(SimulatorAppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // Nest's default body parsers suffice: JSON for Adyen, and the extended urlencoded parser turns
  // the Stripe SDK's `metadata[key]=value` form fields into objects.
  app.enableShutdownHooks();
  await app.listen(config.PSP_SIMULATOR_PORT);
  return app;
}

/** Configuration from an environment object (tests pass their own, main.ts passes process.env). */
export function simulatorConfigFrom(env: NodeJS.ProcessEnv): SimulatorConfig {
  return loadConfig(SimulatorConfig, env);
}
