import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_DEFAULTS, SERVICES, ServiceSpec } from './services';

const root = path.resolve(__dirname, '../..');

export interface RunningPlatform {
  urls: Record<string, string>;
  env: Record<string, string>;
  stop(): Promise<void>;
  /** The running process of a service (for harnesses that kill and restart services). */
  processOf(name: string): ChildProcess | undefined;
  /** Sends `signal` to a service and waits for it to exit; the exit is not reported as unexpected. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a service again (after `kill` or an unexpected exit) and waits for its /readyz. */
  restart(name: string, readyTimeoutMs?: number): Promise<void>;
  /** Called when a service exits without `kill` or `stop` asking it to. */
  onUnexpectedExit(listener: (name: string, code: number | null, signal: NodeJS.Signals | null) => void): void;
}

function environment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) env[key] ??= value;
  return env;
}

async function waitReady(spec: ServiceSpec, url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with code ${child.exitCode} (see .infra/logs/${spec.name}.log)`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000} s (see .infra/logs/${spec.name}.log)`);
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts every built service (dist/apps/<name>/main.js) with its logs in .infra/logs, waits for each
 * /readyz, and returns how to reach and stop them (in reverse order, each gracefully).
 */
export async function startPlatform(
  overrides: Record<string, string> = {},
  only?: string[],
): Promise<RunningPlatform> {
  const env: Record<string, string> = { ...environment(), ...overrides };
  // Every service learns where the others listen (the gateway forwards to them).
  for (const spec of SERVICES) {
    const port = env[spec.portVariable] ?? String(spec.port);
    env[`${spec.name.toUpperCase().replace(/-/g, '_')}_URL`] ??= `http://localhost:${port}`;
  }
  // Locally the PSPs are the simulator, and the simulator's webhooks go to the webhooks service.
  env['STRIPE_API_BASE'] ??= env['PSP_SIMULATOR_URL'];
  env['ADYEN_API_BASE'] ??= `${env['PSP_SIMULATOR_URL']}/checkout`;
  env['SIMULATOR_WEBHOOK_URL_STRIPE'] ??= `${env['WEBHOOKS_URL']}/webhooks/stripe`;
  env['SIMULATOR_WEBHOOK_URL_ADYEN'] ??= `${env['WEBHOOKS_URL']}/webhooks/adyen`;
  // PAYFLOW_LOG_DIR lets a harness keep its services' logs apart from npm start's.
  const logs = env['PAYFLOW_LOG_DIR'] ?? path.join(root, '.infra/logs');
  mkdirSync(logs, { recursive: true });
  const specs = SERVICES.filter((s) => !only || only.includes(s.name));
  const children = new Map<string, ChildProcess>();
  const expectedExits = new Set<ChildProcess>();
  const exitListeners: ((name: string, code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  const urls: Record<string, string> = {};
  const spawnService = (spec: ServiceSpec): ChildProcess => {
    const port = env[spec.portVariable] ?? String(spec.port);
    // PAYFLOW_CPU_PROFILE=all (or a list of services) writes V8 CPU profiles to .infra/profiles on exit.
    const profiled = (env['PAYFLOW_CPU_PROFILE'] ?? '').split(',');
    const profile = profiled.includes('all') || profiled.includes(spec.name)
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, '.infra/profiles')}`, `--cpu-prof-name=${spec.name}.cpuprofile`]
      : [];
    const child = spawn(process.execPath, [...profile, '--enable-source-maps', path.join(root, 'dist/apps', spec.name, 'main.js')], {
      env: { ...env, [spec.portVariable]: port },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(path.join(logs, `${spec.name}.log`), { flags: 'a' });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.once('exit', (code, signal) => {
      if (expectedExits.delete(child)) return;
      for (const listener of exitListeners) listener(spec.name, code, signal);
    });
    children.set(spec.name, child);
    urls[spec.name] = `http://localhost:${port}`;
    return child;
  };
  const specOf = (name: string): ServiceSpec => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`unknown service ${name}`);
    return spec;
  };
  const kill = async (name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    expectedExits.add(child);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  };
  const stop = async () => {
    for (const spec of [...specs].reverse()) {
      const child = children.get(spec.name);
      if (!child) continue;
      expectedExits.add(child);
      await stopChild(child);
    }
  };
  try {
    for (const spec of specs) {
      const child = spawnService(spec);
      await waitReady(spec, urls[spec.name], child, 60_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls,
    env,
    stop,
    kill,
    processOf: (name) => children.get(name),
    restart: async (name, readyTimeoutMs = 60_000) => {
      const spec = specOf(name);
      await kill(name);
      const child = spawnService(spec);
      await waitReady(spec, urls[name], child, readyTimeoutMs);
    },
    onUnexpectedExit: (listener) => {
      exitListeners.push(listener);
    },
  };
}
