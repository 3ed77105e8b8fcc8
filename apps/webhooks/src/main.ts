import 'reflect-metadata';
import { loadConfigOrExit } from '@payflow/platform/config';
import { runWebhooks } from './run-webhooks';
import { WebhooksConfig } from './webhooks.config';

const config = loadConfigOrExit(WebhooksConfig);
runWebhooks(config).catch((error) => {
  process.stderr.write(`webhooks failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
