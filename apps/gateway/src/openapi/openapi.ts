import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorSchema } from './schemas/api-error.schema';

export const OPENAPI_JSON_PATH = 'openapi.json';
export const OPENAPI_UI_PATH = 'docs';

/** The OpenAPI document, generated from the controllers and DTOs (the code is the source). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('PayFlow API')
    .setDescription(
      'Payment intents, refunds, balances and ledger entries, in the manner of Stripe. Every error has one shape, ' +
        '`{"error": {type, code, message, param?, request_id}}` (ApiErrorSchema). Amounts are integers of minor units.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: "The merchant's secret API key, `sk_test_…`" },
      'api_key',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: "The operators' ADMIN_API_KEY" },
      'admin_key',
    )
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorSchema] });
}

/** `/openapi.json` and the Swagger UI at `/docs`; the document is built on first request, then cached. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
