import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import {
  DEFAULT_CHECK_TIMEOUT_MS,
  HealthModuleAsyncOptions,
  HealthModuleOptions,
  READINESS_CHECKS,
  READINESS_TIMEOUT_MS,
} from './health-options';
import { ReadinessService } from './readiness.service';

/** `GET /healthz` (alive) and `GET /readyz` (every readiness check up) on the app's own port. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: READINESS_CHECKS, useValue: options.checks },
        { provide: READINESS_TIMEOUT_MS, useValue: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS },
        ReadinessService,
      ],
      exports: [ReadinessService],
    };
  }

  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        { provide: READINESS_CHECKS, useFactory: options.useFactory, inject: options.inject ?? [] },
        { provide: READINESS_TIMEOUT_MS, useValue: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS },
        ReadinessService,
      ],
      exports: [ReadinessService],
    };
  }
}
