/**
 * A Postgres cluster of the harness's own (initdb + pg_ctl on its own port and data directory), so
 * stopping it disturbs no one else on the machine. Postgres refuses to run as root: as root, the
 * cluster runs as the `postgres` OS user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ClusterOptions {
  dataDir: string;
  port: number;
  maxConnections?: number;
}

function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = path.join(base, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return name; // on PATH
}

function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export class PostgresCluster {
  readonly url: string;
  private readonly runAs = osUser();

  constructor(private readonly options: ClusterOptions) {
    this.url = `postgres://postgres@127.0.0.1:${options.port}/payflow_chaos`;
  }

  private run(binary: string, args: string[], allowFailure = false): void {
    const command = postgresBin(binary);
    const result = this.runAs
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0 && !allowFailure) {
      throw new Error(
        `${binary} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error?.message}`,
      );
    }
  }

  /** A fresh cluster: any previous data directory is removed first. */
  init(): void {
    this.stopQuietly();
    rmSync(this.options.dataDir, { recursive: true, force: true });
    mkdirSync(this.options.dataDir, { recursive: true });
    if (this.runAs) chownSync(this.options.dataDir, this.runAs.uid, this.runAs.gid);
    this.run('initdb', [
      '-D',
      this.options.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    writeFileSync(
      path.join(this.options.dataDir, 'postgresql.auto.conf'),
      [
        `port = ${this.options.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.options.dataDir}'`,
        `max_connections = ${this.options.maxConnections ?? 200}`,
        // A test cluster: durability is not what is measured, and the machine is shared.
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'shared_buffers = 128MB',
        '',
      ].join('\n'),
    );
    if (this.runAs)
      chownSync(path.join(this.options.dataDir, 'postgresql.auto.conf'), this.runAs.uid, this.runAs.gid);
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.options.dataDir,
      '-l',
      path.join(this.options.dataDir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** `pg_ctl stop -m fast`: every connection is terminated (57P01), as in a failover. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.options.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  stopQuietly(): void {
    if (existsSync(path.join(this.options.dataDir, 'postmaster.pid')))
      this.run('pg_ctl', ['-D', this.options.dataDir, '-m', 'immediate', '-w', 'stop'], true);
  }
}
