import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { ApiError } from '@payflow/platform/http';
import { GatewayConfig } from '../config/gateway.config';
import type { ForwardCaller } from '../forwarding/forward-caller';
import { internalHeaders } from '../forwarding/internal-headers';
import { startForwardSpan } from '../forwarding/trace-context';
import { UpstreamResponse } from '../forwarding/upstream-response';

export interface WebhooksForwardRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The internal path, e.g. `/internal/v1/webhook_endpoints`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** Service headers a merchant may see, as forwarding/upstream-client.ts passes them back. */
const PASSED_BACK_HEADERS = ['idempotent-replayed'];

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function queryString(query: WebhooksForwardRequest['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.append(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The hop to the webhooks service (WEBHOOKS_URL) for the merchant webhook endpoint and event routes,
 * with exactly the contract of `forwarding/upstream-client.ts`: the same internal headers, trace
 * span, API_TIMEOUT deadline, and error mapping (502 unreachable or invalid answer, 504 timeout,
 * a refused internal token is a 502 logged as a deployment fault).
 *
 * It exists because UpstreamClient knows only intents and the ledger and only GET/POST, and this
 * change may not edit it; once `Upstream` includes 'webhooks' and `method` includes 'DELETE'
 * there, this file can go and the controllers call UpstreamClient.forward('webhooks', …).
 */
@Injectable()
export class WebhooksUpstream {
  private readonly logger = new Logger('Forwarding');
  private readonly baseUrl: string;

  constructor(private readonly config: GatewayConfig) {
    this.baseUrl = config.WEBHOOKS_URL.replace(/\/+$/, '');
  }

  async forward(request: WebhooksForwardRequest, caller: ForwardCaller): Promise<UpstreamResponse> {
    const headers = internalHeaders(caller, this.config.INTERNAL_API_TOKEN);
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const span = startForwardSpan(`${request.method} webhooks`, caller.headers, headers);
    try {
      const response = await this.call(request, headers, caller.requestId);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  private async call(
    request: WebhooksForwardRequest,
    headers: Record<string, string>,
    requestId: string | undefined,
  ): Promise<UpstreamResponse> {
    const url = `${this.baseUrl}${request.path}${queryString(request.query)}`;
    let status: number;
    let text: string;
    let passedBack: Record<string, string>;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.config.API_TIMEOUT),
      });
      status = response.status;
      passedBack = Object.fromEntries(
        PASSED_BACK_HEADERS.flatMap((name) => {
          const value = response.headers.get(name);
          return value === null ? [] : [[name, value]];
        }),
      );
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        this.logger.warn(
          `${request.method} webhooks${request.path}: no answer within ${this.config.API_TIMEOUT} ms`,
        );
        throw new ApiError(
          HttpStatus.GATEWAY_TIMEOUT,
          'api_error',
          'upstream_timeout',
          'The webhooks service did not answer in time; retrying with the same Idempotency-Key is safe',
        );
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      this.logger.warn(
        `${request.method} webhooks${request.path}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'api_error',
        'upstream_unavailable',
        'The webhooks service is unavailable; retry later',
      );
    }
    return this.interpret(request, status, text, passedBack, requestId);
  }

  private interpret(
    request: WebhooksForwardRequest,
    status: number,
    text: string,
    headers: Record<string, string>,
    requestId: string | undefined,
  ): UpstreamResponse {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.logger.error(`${request.method} webhooks${request.path}: ${status} answer is not JSON`);
      throw invalidAnswer();
    }
    if (status === HttpStatus.UNAUTHORIZED) {
      this.logger.error(
        'webhooks refused the internal token: INTERNAL_API_TOKEN differs between the gateway and webhooks',
      );
      throw invalidAnswer();
    }
    const error = (body as { error?: unknown } | null)?.error;
    if (status >= 400 && (typeof error !== 'object' || error === null)) {
      this.logger.error(`${request.method} webhooks${request.path}: ${status} answer is not an error object`);
      throw invalidAnswer();
    }
    return new UpstreamResponse(status, status >= 400 ? withRequestId(body, requestId) : body, headers);
  }
}

/** Errors name the gateway's request id, as every gateway error does. */
function withRequestId(body: unknown, requestId: string | undefined): unknown {
  const error = (body as { error: Record<string, unknown> }).error;
  if (requestId === undefined || error['request_id'] !== undefined) return body;
  return { ...(body as object), error: { ...error, request_id: requestId } };
}

function invalidAnswer(): ApiError {
  return new ApiError(
    HttpStatus.BAD_GATEWAY,
    'api_error',
    'upstream_invalid_response',
    'The webhooks service gave an invalid answer',
  );
}
