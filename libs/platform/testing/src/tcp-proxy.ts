import net from 'node:net';

export interface TcpAddress {
  host: string;
  port: number;
}

/**
 * A TCP proxy a test puts between a client and a server: to reach a server from where it does not
 * listen (a network namespace), or to cut every connection at once (resets, new ones refused, as
 * when the server is down) and restore it on the same port.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** The port it listens on (the one asked for, or the one the OS chose for 0). */
  port: number;

  constructor(
    private readonly target: TcpAddress,
    private readonly listen: TcpAddress = { host: '127.0.0.1', port: 0 },
  ) {
    this.port = listen.port;
  }

  /** Starts a proxy and returns it once it listens. */
  static async start(target: TcpAddress, listen?: TcpAddress): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, listen);
    await proxy.start();
    return proxy;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.listen.host, resolve);
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Resets every connection and stops listening. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  restore(): Promise<void> {
    return this.start();
  }

  close(): Promise<void> {
    return this.cut();
  }
}
