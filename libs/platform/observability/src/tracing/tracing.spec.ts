import { execFile } from 'node:child_process';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { Tracing, startTracing } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

type Carrier = Record<string, string>;

const WORKSPACE_ROOT = join(__dirname, '../../../../..');

/** What the outbox writer does in a consumer's handler: inject the active context into headers. */
async function headersInjectedUnder(parentHeaders: Carrier): Promise<Carrier> {
  const parent = propagation.extract(context.active(), parentHeaders);
  return context.with(parent, () =>
    trace.getTracer('test').startActiveSpan('consume', async (span) => {
      await Promise.resolve(); // cross an async boundary, as a handler does
      const headers: Carrier = {};
      propagation.inject(context.active(), headers);
      span.end();
      return headers;
    }),
  );
}

describe('startTracing', () => {
  let tracing: Tracing | undefined;

  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  describe('without an OTLP endpoint', () => {
    it('passes traceparent from incoming to outgoing headers', async () => {
      tracing = startTracing('intents');

      const headers = await headersInjectedUnder({ traceparent: PARENT });

      expect(headers['traceparent']).toBe(PARENT);
    });

    it('unregisters the propagator on shutdown', async () => {
      tracing = startTracing('intents');
      await tracing.shutdown();
      tracing = undefined;

      expect(await headersInjectedUnder({ traceparent: PARENT })).toEqual({});
    });
  });

  describe('with an OTLP endpoint', () => {
    let collector: Server;
    let received: { path: string | undefined; body: string }[];

    beforeEach(async () => {
      received = [];
      collector = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({ path: req.url, body });
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    });

    // In a child process: the exporter's dynamic `import('http')` cannot run inside Jest's sandbox.
    it('records spans as children of the incoming trace and exports them over OTLP/HTTP on shutdown', async () => {
      const { port } = collector.address() as AddressInfo;

      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', join(__dirname, 'otlp-export.fixture.ts'), `http://127.0.0.1:${port}/`],
          { cwd: WORKSPACE_ROOT, env: { ...process.env, TRACEPARENT: PARENT }, encoding: 'utf8' },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        ),
      );

      const headers = JSON.parse(stdout) as Carrier;
      // A recording span: same trace, a new span id.
      expect(headers['traceparent']).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(headers['traceparent']).not.toBe(PARENT);
      expect(received.map((request) => request.path)).toEqual(['/v1/traces']);
      expect(received[0].body).toContain('"consume"');
      expect(received[0].body).toContain('{"key":"service.name","value":{"stringValue":"ledger"}}');
    }, 60_000); // a child process (tsx) starting on a busy CI machine takes more than Jest's 5 s
  });
});
