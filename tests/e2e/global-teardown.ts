// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/ is workspace tooling, not a project
import type { RunningPlatform } from '../../tools/dev/platform';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __PAYFLOW__?: RunningPlatform }).__PAYFLOW__?.stop();
}
