import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { KafkaInboxServer } from '@payflow/platform/messaging';
import { startTracing } from '@payflow/platform/observability';

export interface RunServiceOptions {
  service: string;
  port: number;
  otlpEndpoint?: string;
  /** Called with the app before it listens (global pipes, filters, Swagger). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
}

/**
 * Starts a service: tracing first (so it sees everything), the HTTP app with pino logs, the inbox
 * transport when the service consumes, and graceful shutdown on SIGTERM/SIGINT — Nest closes the
 * consumers (in-flight handlers finish, offsets commit), then the relay flushes, then pools close.
 */
export async function runService(module: Type<unknown> | DynamicModule, options: RunServiceOptions): Promise<INestApplication> {
  const tracing = startTracing(options.service, options.otlpEndpoint);
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await options.configure?.(app);

  const inbox = app.get(KafkaInboxServer, { strict: false });
  if (inbox) {
    app.connectMicroservice({ strategy: inbox }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(options.port);
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await tracing.shutdown();
  };
  return app;
}
