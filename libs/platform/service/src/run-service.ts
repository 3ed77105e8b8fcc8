import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { KafkaInboxServer } from '@payflow/platform/messaging';
import { startTracing } from '@payflow/platform/observability';
import { OutboxRelay } from '@payflow/platform/outbox';
import { GracefulShutdown } from './graceful-shutdown';
import { SERVICE_RUNTIME_OPTIONS, ServiceRuntimeOptions } from './service-runtime.options';

export interface RunServiceOptions {
  service: string;
  port: number;
  otlpEndpoint?: string;
  /** Called with the app before it listens (global pipes, filters, Swagger). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  /** SIGTERM to exit, at most; defaults to the service config's SHUTDOWN_TIMEOUT_MS (10 s). */
  shutdownTimeoutMs?: number;
}

/** A provider the app may not have (a service that does not consume, or not built on ServiceRuntimeModule). */
function optional<T>(app: INestApplication, token: Type<T> | symbol): T | null {
  try {
    return app.get<T>(token, { strict: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * Starts a service: tracing first (so it sees everything), the HTTP app with pino logs, the inbox
 * transport when the service consumes, and a shutdown in order and in bounded time on SIGTERM/SIGINT
 * or `app.close()` (see GracefulShutdown): HTTP and consumers stop, in-flight handlers finish, the
 * relay flushes, then pools close, all within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  options: RunServiceOptions,
): Promise<INestApplication> {
  const tracing = startTracing(options.service, options.otlpEndpoint);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await options.configure?.(app);

  const runtime = optional<ServiceRuntimeOptions>(app, SERVICE_RUNTIME_OPTIONS);
  const inbox = optional(app, KafkaInboxServer);
  const relay = optional(app, OutboxRelay);
  const closeApp = app.close.bind(app);
  const shutdown = new GracefulShutdown(
    {
      http: app.getHttpServer() as Server,
      consumers: inbox ?? undefined,
      relay: relay ?? undefined,
      closeApp,
      flushTelemetry: () => tracing.shutdown(),
    },
    options.shutdownTimeoutMs ?? runtime?.config.SHUTDOWN_TIMEOUT_MS ?? 10_000,
  );
  shutdown.installSignalHandlers();
  app.close = () => shutdown.run();

  try {
    if (inbox) {
      app.connectMicroservice({ strategy: inbox }, { inheritAppConfig: true });
      await app.startAllMicroservices();
    }
    await app.listen(options.port);
  } catch (error) {
    shutdown.removeSignalHandlers();
    throw error;
  }
  return app;
}
