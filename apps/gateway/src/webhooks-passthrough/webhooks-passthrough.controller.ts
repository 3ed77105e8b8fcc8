import { All, Controller, HttpStatus, Logger, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiError } from '@payflow/platform/http';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER, correlationIdOf } from '@payflow/platform/observability';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import { GatewayConfig } from '../config/gateway.config';
import { SkipIdempotency } from '../idempotency/skip-idempotency.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { requestHeadersToForward, responseHeadersToReturn } from './passthrough-headers';

const STRIPE_PATH = '/webhooks/stripe';
const ADYEN_PATH = '/webhooks/adyen';
type PspWebhookPath = typeof STRIPE_PATH | typeof ADYEN_PATH;

/** The query string as received (`?…`, or empty): it is passed on, the path never is. */
function queryOf(originalUrl: string): string {
  const start = originalUrl.indexOf('?');
  return start < 0 ? '' : originalUrl.slice(start);
}

function unknownWebhookRoute(request: GatewayRequest): ApiError {
  return new ApiError(
    HttpStatus.NOT_FOUND,
    'invalid_request_error',
    'resource_missing',
    `Unrecognized request URL (${request.method}): PSP webhooks are POST ${STRIPE_PATH} and POST ${ADYEN_PATH}`,
  );
}

const RAW_BODY = {
  schema: { type: 'string', format: 'binary', description: "The PSP's payload, exactly as signed" },
};

/**
 * `POST /webhooks/stripe` and `POST /webhooks/adyen` go to the webhooks service byte for byte
 * (DESIGN.md): no authentication (the PSP's signature is the authentication, checked there), no JSON
 * parsing (express.raw reads the body for these paths before the JSON parser, see
 * configure-http.ts), no idempotency (PSP event ids are). Status, headers and body come back as the
 * webhooks service sent them.
 *
 * Only those two: the upstream path is a constant, never the caller's path, and everything else
 * under `/webhooks` is a 404 here. Forwarding the caller's path let `/webhooks/../metrics` reach the
 * webhooks service's `/metrics` (the URL parser resolves the dot segments on the way out).
 */
@ApiTags('PSP webhooks')
@Controller('webhooks')
@SkipIdempotency()
export class WebhooksPassthroughController {
  private readonly logger = new Logger('WebhooksPassthrough');
  private readonly baseUrl: string;

  constructor(private readonly config: GatewayConfig) {
    this.baseUrl = config.WEBHOOKS_URL.replace(/\/+$/, '');
  }

  @Post('stripe')
  @ApiOperation({
    summary: "Stripe's webhook events, verified with Stripe-Signature by the webhooks service",
  })
  @ApiHeader({
    name: 'Stripe-Signature',
    required: true,
    description: '`t=<unix>,v1=<hex HMAC-SHA256 of "t.rawbody">`',
  })
  @ApiConsumes('application/json')
  @ApiBody(RAW_BODY)
  @ApiResponse({ status: 200, description: 'Received (a duplicate event too)' })
  @ApiResponse({ status: 400, description: 'Bad, stale or missing signature; nothing stored' })
  @ApiErrors(502, 504)
  stripe(@Req() request: GatewayRequest, @Res() response: Response): Promise<void> {
    return this.pass(STRIPE_PATH, request, response);
  }

  @Post('adyen')
  @ApiOperation({
    summary: "Adyen's standard notifications, each item's HMAC verified by the webhooks service",
  })
  @ApiConsumes('application/json')
  @ApiBody(RAW_BODY)
  @ApiResponse({ status: 200, description: '`[accepted]`' })
  @ApiResponse({ status: 400, description: 'Bad signature; nothing stored' })
  @ApiErrors(502, 504)
  adyen(@Req() request: GatewayRequest, @Res() response: Response): Promise<void> {
    return this.pass(ADYEN_PATH, request, response);
  }

  /**
   * Any other path under /webhooks, whatever the method (`/webhooks/foo`, `/webhooks/stripe/x`,
   * `/webhooks/../metrics`, `/webhooks/%2e%2e/metrics`): answered here, never forwarded.
   */
  @All('*path')
  @ApiExcludeEndpoint()
  other(@Req() request: GatewayRequest): never {
    throw unknownWebhookRoute(request);
  }

  private async pass(path: PspWebhookPath, request: GatewayRequest, response: Response): Promise<void> {
    // Express matches routes case-insensitively and with an optional trailing slash: only the exact
    // path is the PSPs' endpoint.
    if (request.path !== path) throw unknownWebhookRoute(request);
    const headers = requestHeadersToForward(request.headers);
    const requestId = requestIdOf(request);
    if (requestId) {
      headers.set(REQUEST_ID_HEADER, requestId);
      headers.set(CORRELATION_ID_HEADER, correlationIdOf(request));
    }
    const body =
      Buffer.isBuffer(request.body) && request.method !== 'GET' && request.method !== 'HEAD'
        ? request.body
        : undefined;
    let upstream: globalThis.Response;
    let bytes: Buffer;
    try {
      upstream = await fetch(`${this.baseUrl}${path}${queryOf(request.originalUrl)}`, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.API_TIMEOUT),
      });
      bytes = Buffer.from(await upstream.arrayBuffer());
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ApiError(
          HttpStatus.GATEWAY_TIMEOUT,
          'api_error',
          'upstream_timeout',
          'The webhooks service did not answer in time',
        );
      }
      this.logger.warn(
        `${request.method} ${request.path}: webhooks service unreachable: ${(error as Error).message}`,
      );
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'api_error',
        'upstream_unavailable',
        'The webhooks service is unavailable; retry later',
      );
    }
    response.status(upstream.status);
    for (const [name, value] of responseHeadersToReturn(upstream.headers)) response.setHeader(name, value);
    response.end(bytes);
  }
}
