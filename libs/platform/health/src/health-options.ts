import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { ReadinessCheck } from './readiness-check';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const READINESS_TIMEOUT_MS = Symbol('READINESS_TIMEOUT_MS');

/** Kubernetes probes time out after 1 s by default and are usually raised a little; 2 s fits under that. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export interface HealthModuleOptions {
  checks: ReadinessCheck[];
  /** Longest wait for any one check before it counts as down. */
  checkTimeoutMs?: number;
}

/** For checks built from objects the app creates (data source, relay, inbox servers). */
export interface HealthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...deps: never[]) => ReadinessCheck[] | Promise<ReadinessCheck[]>;
  checkTimeoutMs?: number;
}
