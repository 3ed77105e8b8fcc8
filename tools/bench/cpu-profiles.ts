/**
 * Summarises the V8 CPU profiles in .infra/profiles (PAYFLOW_CPU_PROFILE=all npm run bench:…):
 * CPU time per service, and where the busiest one spends it (by package or file).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  hitCount: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function where(url: string, fn: string): string {
  if (!url) return fn ? `(${fn})` : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  return `${path.basename(url)}:${fn || '(anonymous)'}`;
}

const dir = path.resolve(__dirname, '../../.infra/profiles');
const services = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
const summary = services.map((file) => {
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile;
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id)!;
    const us = profile.timeDeltas[i] ?? 0;
    if (node.callFrame.functionName === '(idle)') return;
    busyUs += us;
    const key = where(node.callFrame.url, node.callFrame.functionName);
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
  });
  return { service: file.replace('.cpuprofile', ''), busyMs: Math.round(busyUs / 1000), selfUs };
});
summary.sort((a, b) => b.busyMs - a.busyMs);
for (const s of summary) process.stdout.write(`${s.service.padEnd(14)} ${s.busyMs} ms CPU\n`);
const busiest = summary[0];
process.stdout.write(`\nbusiest: ${busiest.service}, self time by package/function:\n`);
for (const [key, us] of [...busiest.selfUs].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  process.stdout.write(`  ${((100 * us) / 1000 / busiest.busyMs).toFixed(1).padStart(5)} %  ${key}\n`);
}
