import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

// The three packages above are dependencies of @opentelemetry/sdk-node (pinned by it), which no
// longer re-exports them; they are used as installed with it rather than added separately.

export interface Tracing {
  /** Flushes spans still buffered (when exporting) and unregisters the global tracing components. */
  shutdown(): Promise<void>;
}

const TRACES_PATH = '/v1/traces';

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is the collector's base URL; the OTLP/HTTP spec appends the signal path. */
function tracesUrl(otlpEndpoint: string): string {
  const base = otlpEndpoint.replace(/\/+$/, '');
  return base.endsWith(TRACES_PATH) ? base : `${base}${TRACES_PATH}`;
}

function unregisterGlobals(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}

/**
 * Sets up OpenTelemetry for a process. Call it once, first thing in `main.ts`, before Nest is
 * created, so every span starts under the registered providers.
 *
 * The W3C trace-context propagator and an AsyncLocalStorage context manager are always registered:
 * without them the inbox's `context.with(parent, …)` is a no-op and the outbox writer injects nothing,
 * so `traceparent` would stop at the first Kafka hop even though no span is recorded. Spans are only
 * recorded and exported (OTLP over HTTP) when `otlpEndpoint` is set. OTel metrics and logs stay off:
 * metrics go through prom-client and logs through pino.
 */
export function startTracing(service: string, otlpEndpoint?: string): Tracing {
  const contextManager = new AsyncLocalStorageContextManager();
  const propagator = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });

  if (!otlpEndpoint) {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(propagator);
    return { shutdown: async () => unregisterGlobals() };
  }

  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(otlpEndpoint) }),
    contextManager,
    textMapPropagator: propagator,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    shutdown: async () => {
      try {
        await sdk.shutdown();
      } finally {
        unregisterGlobals();
      }
    },
  };
}
