import type { BaseServiceConfig, ServiceName } from '@payflow/platform/config';
import type { Clock } from '@payflow/platform/clock';

export interface ServiceRuntimeOptions {
  service: ServiceName;
  config: BaseServiceConfig;
  /** TypeORM entities of the service's schema. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  /** Topics the service consumes through its inbox; none for a service that only publishes. */
  consumes?: string[];
  /** Most events applied in one transaction (a batch handler gets up to this many at once). */
  consumerChunkSize?: number;
  /** Tests pass a TestClock. */
  clock?: Clock;
}

export const SERVICE_RUNTIME_OPTIONS = Symbol('SERVICE_RUNTIME_OPTIONS');
