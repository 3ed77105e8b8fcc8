import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A network namespace of the test's own, joined to the host by a veth pair on a /30: a process run
 * inside it reaches the host only at `hostAddress`, and `cut()` takes its link down, so its peers
 * see it vanish (no FIN, no RST: packets simply stop). Needs root (`ip netns`).
 */
export class NetworkNamespace {
  readonly name = `eb-${randomBytes(3).toString('hex')}`;
  private readonly hostLink = `${this.name}-h`;
  private readonly nsLink = `${this.name}-n`;
  readonly hostAddress: string;
  readonly nsAddress: string;

  constructor(subnet = 10 + (randomBytes(1)[0] % 200)) {
    this.hostAddress = `10.213.${subnet}.1`;
    this.nsAddress = `10.213.${subnet}.2`;
  }

  create(): void {
    ip('netns', 'add', this.name);
    ip('link', 'add', this.hostLink, 'type', 'veth', 'peer', 'name', this.nsLink, 'netns', this.name);
    ip('addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostLink);
    ip('link', 'set', this.hostLink, 'up');
    this.inside('ip', 'addr', 'add', `${this.nsAddress}/30`, 'dev', this.nsLink);
    this.inside('ip', 'link', 'set', this.nsLink, 'up');
    this.inside('ip', 'link', 'set', 'lo', 'up');
  }

  /** The command line that runs `command` inside the namespace. */
  exec(command: string[]): string[] {
    return ['ip', 'netns', 'exec', this.name, ...command];
  }

  /** Takes the namespace's side of the link down: whatever runs inside is cut off silently. */
  cut(): void {
    this.inside('ip', 'link', 'set', this.nsLink, 'down');
  }

  destroy(): void {
    try {
      ip('link', 'del', this.hostLink);
    } catch {
      // already gone with the namespace
    }
    ip('netns', 'del', this.name);
  }

  private inside(...command: string[]): void {
    execFileSync('ip', ['netns', 'exec', this.name, ...command], { stdio: 'pipe' });
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}
