import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake service received it: raw bytes included, to compare byte for byte. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: ReceivedRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A real HTTP server playing intents, the ledger or the webhooks service: records what the gateway
 * sends and answers what the test says. The gateway under test talks to it over real sockets.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  private handler: FakeHandler = () => ({ status: 200, body: { ok: true } });
  private server!: Server;
  url!: string;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** How to answer from now on. */
  answer(handler: FakeHandler): void {
    this.handler = handler;
  }

  /** Requests received on a path (prefix match). */
  on(pathPrefix: string): ReceivedRequest[] {
    return this.received.filter((request) => request.url.startsWith(pathPrefix));
  }

  /** Stops listening (a test may stop it early to play a service that is down). */
  async stop(): Promise<void> {
    if (!this.server?.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const received: ReceivedRequest = { method: req.method!, url: req.url!, headers: req.headers, raw };
    try {
      received.json = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      // not JSON: the raw bytes are what counts
    }
    this.received.push(received);
    try {
      const answer = await this.handler(received);
      if (res.destroyed) return;
      const body = answer.rawBody ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    } catch {
      if (!res.destroyed) res.destroy();
    }
  }
}

/** A promise a test resolves when it chooses: holds a fake answer without sleeping. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
