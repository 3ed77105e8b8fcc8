/**
 * Run by tracing.spec.ts in a separate Node process: the OTLP exporter loads `node:http` with a
 * dynamic import, which Jest's module sandbox cannot run. Records one span under the parent given
 * in TRACEPARENT, exports it to the endpoint given as the first argument and prints the traceparent
 * it injected.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { startTracing } from './tracing';

async function main(): Promise<void> {
  const tracing = startTracing('ledger', process.argv[2]);
  const parent = propagation.extract(context.active(), { traceparent: process.env['TRACEPARENT'] ?? '' });
  const headers: Record<string, string> = {};
  await context.with(parent, () =>
    trace.getTracer('fixture').startActiveSpan('consume', async (span) => {
      await Promise.resolve();
      propagation.inject(context.active(), headers);
      span.end();
    }),
  );
  await tracing.shutdown();
  process.stdout.write(JSON.stringify(headers));
}

void main();
