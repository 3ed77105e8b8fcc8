import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { ApiError } from '@payflow/platform/http';
import { GatewayConfig } from '../config/gateway.config';
import type { ForwardCaller } from './forward-caller';
import { internalHeaders } from './internal-headers';
import { startForwardSpan } from './trace-context';
import { UpstreamResponse } from './upstream-response';

export type Upstream = 'intents' | 'ledger' | 'webhooks' | 'billing' | 'dunning';

export interface ForwardRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The internal path, e.g. `/internal/v1/payment_intents`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** Service headers a merchant may see; everything else (internal routing, server details) stays inside. */
const PASSED_BACK_HEADERS = ['idempotent-replayed'];

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function queryString(query: ForwardRequest['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.append(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The one synchronous service-to-service hop (DESIGN.md): calls intents, the ledger, webhooks, billing or dunning with the
 * internal headers, within API_TIMEOUT, and passes the answer on. Node's fetch (undici) keeps
 * connections to each service alive and reuses them, so a forward costs no handshake.
 *
 * Failures of the hop itself are the gateway's to report: a service that cannot be reached is 502,
 * one that does not answer in time 504 (both `api_error`, never stored for idempotency). A service
 * refusing the internal token is a deployment fault, not the merchant's: 502 too, logged loudly.
 */
@Injectable()
export class UpstreamClient {
  private readonly logger = new Logger('Forwarding');
  private readonly baseUrls: Record<Upstream, string>;

  constructor(private readonly config: GatewayConfig) {
    this.baseUrls = {
      intents: config.INTENTS_URL.replace(/\/+$/, ''),
      ledger: config.LEDGER_URL.replace(/\/+$/, ''),
      webhooks: config.WEBHOOKS_URL.replace(/\/+$/, ''),
      billing: config.BILLING_URL.replace(/\/+$/, ''),
      dunning: config.DUNNING_URL.replace(/\/+$/, ''),
    };
  }

  async forward(
    upstream: Upstream,
    request: ForwardRequest,
    caller: ForwardCaller,
  ): Promise<UpstreamResponse> {
    const headers = internalHeaders(caller, this.config.INTERNAL_API_TOKEN);
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const span = startForwardSpan(`${request.method} ${upstream}`, caller.headers, headers);
    try {
      const response = await this.call(upstream, request, headers, caller.requestId);
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
    upstream: Upstream,
    request: ForwardRequest,
    headers: Record<string, string>,
    requestId: string | undefined,
  ): Promise<UpstreamResponse> {
    const url = `${this.baseUrls[upstream]}${request.path}${queryString(request.query)}`;
    let status: number;
    let text: string;
    let passedBack: Record<string, string>;
    try {
      // One deadline for the whole exchange: connecting, the service's work and reading the body.
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
          `${request.method} ${upstream}${request.path}: no answer within ${this.config.API_TIMEOUT} ms`,
        );
        throw new ApiError(
          HttpStatus.GATEWAY_TIMEOUT,
          'api_error',
          'upstream_timeout',
          `The ${upstream} service did not answer in time; retrying with the same Idempotency-Key is safe`,
        );
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      this.logger.warn(
        `${request.method} ${upstream}${request.path}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'api_error',
        'upstream_unavailable',
        `The ${upstream} service is unavailable; retry later`,
      );
    }
    return this.interpret(upstream, request, { status, text, headers: passedBack, requestId });
  }

  private interpret(
    upstream: Upstream,
    request: ForwardRequest,
    answer: { status: number; text: string; headers: Record<string, string>; requestId?: string },
  ): UpstreamResponse {
    const { status, text, headers, requestId } = answer;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.logger.error(`${request.method} ${upstream}${request.path}: ${status} answer is not JSON`);
      throw invalidAnswer(upstream);
    }
    if (status === HttpStatus.UNAUTHORIZED) {
      this.logger.error(
        `${upstream} refused the internal token: INTERNAL_API_TOKEN differs between the gateway and ${upstream}`,
      );
      throw invalidAnswer(upstream);
    }
    if (status >= 400 && !hasErrorObject(body)) {
      this.logger.error(
        `${request.method} ${upstream}${request.path}: ${status} answer is not an error object`,
      );
      throw invalidAnswer(upstream);
    }
    return new UpstreamResponse(status, status >= 400 ? withRequestId(body, requestId) : body, headers);
  }
}

/** Errors name the gateway's request id (the one the merchant sees in `Request-Id`), as every gateway error does. */
function withRequestId(body: unknown, requestId: string | undefined): unknown {
  const error = (body as { error: Record<string, unknown> }).error;
  if (requestId === undefined || error['request_id'] !== undefined) return body;
  return { ...(body as object), error: { ...error, request_id: requestId } };
}

function hasErrorObject(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null;
}

function invalidAnswer(upstream: Upstream): ApiError {
  return new ApiError(
    HttpStatus.BAD_GATEWAY,
    'api_error',
    'upstream_invalid_response',
    `The ${upstream} service gave an invalid answer`,
  );
}
