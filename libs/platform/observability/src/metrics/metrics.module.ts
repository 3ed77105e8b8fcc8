import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { enableDefaultMetrics } from './default-metrics';
import { METRICS_PATH } from './metrics-http-server';
import { METRICS_PORT, MetricsServer } from './metrics-server';
import { MetricsController } from './metrics.controller';

const DEFAULT_METRICS = Symbol('DEFAULT_METRICS');

function defaultMetrics(service: string): Provider {
  return { provide: DEFAULT_METRICS, useFactory: () => enableDefaultMetrics(service) };
}

/**
 * Prometheus metrics from prom-client's default registry (where `platform-metrics.ts` and every
 * service declare theirs), labelled with the service. Served at `/metrics` on the app's own port, or
 * on `prometheusPort` by a separate server when it is set (`PROMETHEUS_PORT`).
 */
@Module({})
export class MetricsModule {
  static forService(service: string, prometheusPort?: number): DynamicModule {
    if (prometheusPort === undefined) {
      return {
        module: MetricsModule,
        imports: [
          PrometheusModule.register({
            path: METRICS_PATH,
            controller: MetricsController,
            // Registered by `enableDefaultMetrics` instead, which tolerates a second module in one process.
            defaultMetrics: { enabled: false },
          }),
        ],
        providers: [defaultMetrics(service)],
      };
    }
    return {
      module: MetricsModule,
      providers: [defaultMetrics(service), { provide: METRICS_PORT, useValue: prometheusPort }, MetricsServer],
      exports: [MetricsServer],
    };
  }
}
