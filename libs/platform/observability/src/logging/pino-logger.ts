import pino, { DestinationStream, Logger } from 'pino';
import { createLoggerOptions } from './logger-options';

/**
 * A PayFlow logger for code that runs outside Nest (migration tooling, scripts, benchmarks). Writes to
 * stdout unless given a destination.
 */
export function createPinoLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options = createLoggerOptions(service, level);
  return destination ? pino(options, destination) : pino(options);
}
