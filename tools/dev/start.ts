/**
 * `npm start` (after tools/dev/start.sh prepared everything): runs the whole platform until Ctrl-C.
 */
import { ensureDemoMerchant } from './demo-merchant';
import { SERVICES } from './services';
import { startPlatform } from './platform';

async function main(): Promise<void> {
  const platform = await startPlatform();
  const entry = SERVICES.find((s) => s.public) ?? SERVICES[0];
  for (const spec of SERVICES) process.stdout.write(`  ${spec.name.padEnd(14)} ${platform.urls[spec.name]}\n`);
  process.stdout.write(`  logs           .infra/logs/<service>.log\n`);
  process.stdout.write(`  API docs       ${platform.urls[entry.name]}/docs\n`);
  process.stdout.write(`  admin key      ${platform.env['ADMIN_API_KEY']}\n`);
  const demo = await ensureDemoMerchant(platform.urls[entry.name], platform.env['ADMIN_API_KEY']).catch(async (error) => {
    await platform.stop();
    throw error;
  });
  process.stdout.write(`  demo merchant  ${demo.id}\n`);
  process.stdout.write(`  demo API key   ${demo.api_key}\n`);
  process.stdout.write(`PayFlow is ready: ${platform.urls[entry.name]}\n`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nPayFlow: stopping every service…\n');
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error) => {
  process.stderr.write(`PayFlow failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
