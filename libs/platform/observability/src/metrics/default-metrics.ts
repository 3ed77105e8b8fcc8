import { collectDefaultMetrics, register } from 'prom-client';

/** One of the metrics `collectDefaultMetrics` registers; its presence means they are registered. */
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

/**
 * Labels every series in prom-client's default registry with the service and registers the process
 * metrics (CPU, memory, event loop, GC) once. prom-client throws when a name is registered twice, and
 * one process may build several Nest modules (tests, a CLI), hence the check.
 */
export function enableDefaultMetrics(service: string): void {
  register.setDefaultLabels({ service });
  if (!register.getSingleMetric(DEFAULT_METRIC_PROBE)) collectDefaultMetrics();
}
