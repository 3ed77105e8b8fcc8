import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';

/** PSPs send small notifications; Adyen batches at most a few hundred items. */
export const PSP_WEBHOOK_BODY_LIMIT = '1mb';

/**
 * `/webhooks/*` bodies are read as raw bytes, whatever their content type, before Nest's JSON parser
 * (registered later, at init) could consume and re-encode them: Stripe signs the exact bytes.
 * body-parser marks the request as read, so the JSON parser then skips it.
 */
export function configureWebhooksHttp(app: NestExpressApplication): void {
  app.use('/webhooks', raw({ type: () => true, limit: PSP_WEBHOOK_BODY_LIMIT }));
}
