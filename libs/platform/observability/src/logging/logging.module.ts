import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpLoggerOptions } from './http-logger-options';

/**
 * Structured JSON logging for a service. The app still has to route Nest's own logs through it:
 * `NestFactory.create(AppModule, { bufferLogs: true })` then `app.useLogger(app.get(Logger))` with
 * `Logger` from `nestjs-pino`.
 */
@Module({})
export class LoggingModule {
  static forService(service: string, level: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: createHttpLoggerOptions(service, level) })],
      exports: [LoggerModule],
    };
  }
}
