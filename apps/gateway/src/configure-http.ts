import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { assignRequestId } from '@payflow/platform/observability';
import { formBodyParser, jsonBodyParser, rawBodyParser } from './body-parsers';
import { setupOpenApi } from './openapi/openapi';

/**
 * HTTP set-up that has to happen before Nest registers its own middleware:
 * - the request id is assigned first, so even a body the parsers refuse (malformed JSON, too large)
 *   gets an error carrying `request_id` (pino-http keeps an id already set);
 * - `/webhooks/*` bodies are read raw, before the JSON parser could consume and re-encode them,
 *   so PSP signatures still verify on the webhooks service;
 * - JSON and form bodies up to 1 MB (Nest's defaults would stop at 100 kB), refusals as API errors;
 * - the OpenAPI document and its UI.
 */
export function configureGatewayHttp(app: NestExpressApplication): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    request.id ??= assignRequestId(request, response);
    next();
  });
  app.use('/webhooks', rawBodyParser());
  app.use(jsonBodyParser());
  app.use(formBodyParser());
  setupOpenApi(app);
}
