import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';

export const METRICS_PATH = '/metrics';

export interface MetricsHttpServer {
  /** The port actually bound (differs from the one asked for when that was 0). */
  readonly port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' || req.url?.split('?', 1)[0] !== METRICS_PATH) return reply(res, 404, 'not found\n');
  try {
    reply(res, 200, await register.metrics(), register.contentType);
  } catch (error) {
    reply(res, 500, `${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * Serves prom-client's default registry at `/metrics` on its own port. Used when `PROMETHEUS_PORT`
 * is set (one service per pod in Kubernetes), so scrapes never share the API's port, its middleware
 * or its logs. Resolves once listening and rejects if the port cannot be bound, so a clash fails the
 * start-up instead of leaving a service without metrics.
 */
export function startMetricsHttpServer(port: number): Promise<MetricsHttpServer> {
  const server = createServer((req, res) => void handle(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Prometheus keeps connections alive between scrapes; without this close() would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
