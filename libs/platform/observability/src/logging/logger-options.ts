import { hostname } from 'node:os';
import pino, { LoggerOptions } from 'pino';
import { REDACTION_CENSOR, createRedactionPaths } from './redaction';

/**
 * Options shared by the HTTP logger of a Nest service and by plain processes (tools, workers), so
 * both write the same JSON shape: ISO time, level as a word, `service` on every line, and the same
 * redaction.
 */
export function createLoggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    // `base` replaces pino's default bindings, so pid and hostname (the pod name in Kubernetes) are kept.
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: createRedactionPaths(), censor: REDACTION_CENSOR },
  };
}
