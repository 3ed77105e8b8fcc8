import { Span, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';

const tracer = trace.getTracer('payflow-gateway');

/**
 * A client span for one forwarded call, child of the caller's trace context (`traceparent`), and
 * that context written into the outgoing headers. Without an OTLP endpoint the span records
 * nothing but the caller's trace id still travels on (the W3C propagator is always registered).
 */
export function startForwardSpan(
  name: string,
  incoming: IncomingHttpHeaders,
  outgoing: Record<string, string>,
): Span {
  const parent = propagation.extract(context.active(), incoming);
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT }, parent);
  propagation.inject(trace.setSpan(parent, span), outgoing);
  return span;
}
