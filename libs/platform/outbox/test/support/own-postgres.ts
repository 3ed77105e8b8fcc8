import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/**
 * A Postgres cluster of the test's own (initdb/pg_ctl from the OS), so a test may listen on extra
 * addresses or stop it without touching the shared one. Runs as the `postgres` OS user when the
 * test runs as root (initdb refuses root).
 */
export class OwnPostgres {
  private readonly dir = mkdtempSync('/tmp/eb-pg-');
  private readonly data = path.join(this.dir, 'data');

  constructor(
    readonly port: number,
    private readonly listenAddresses: string[],
    /** Extra client networks allowed without a password (127.0.0.1 always is). */
    private readonly trustedCidrs: string[] = [],
  ) {}

  url(host = '127.0.0.1'): string {
    return `postgres://postgres@${host}:${this.port}/postgres`;
  }

  start(): void {
    const asRoot = userInfo().uid === 0;
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
    }
    this.run(['initdb', '-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync'], asRoot);
    for (const cidr of this.trustedCidrs)
      appendFileSync(path.join(this.data, 'pg_hba.conf'), `host all all ${cidr} trust\n`);
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses='${this.listenAddresses.join(',')}' -c fsync=off -c max_connections=30`;
    this.run(
      ['pg_ctl', '-D', this.data, '-l', path.join(this.dir, 'log'), '-o', options, '-w', 'start'],
      asRoot,
    );
  }

  stop(): void {
    try {
      this.run(['pg_ctl', '-D', this.data, '-m', 'immediate', '-w', 'stop'], userInfo().uid === 0);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private run(command: string[], asPostgres: boolean): void {
    const [file, ...args] = asPostgres ? ['runuser', '-u', 'postgres', '--', ...command] : command;
    execFileSync(file, args, { stdio: 'pipe' });
  }
}
