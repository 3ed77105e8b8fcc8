import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SunkWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A node:http endpoint that records webhooks and answers with the status `answer` picks, given
 * the body and how many times that same body came before.
 */
export class WebhookSink {
  readonly received: SunkWebhook[] = [];
  answer: (body: string, earlierDeliveries: number) => number = () => 200;
  private server?: Server;

  /** Listens on `port` (0: any free port; give the same port again to come back after `stop()`). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const status = this.answer(body, this.received.filter((earlier) => earlier.body === body).length);
        this.received.push({ path: req.url ?? '', headers: req.headers, body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
