import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import type { Provider } from '@payflow/contracts';
import { ApiError } from '@payflow/platform/http';
import { WebhookPayloadError, WebhookSignatureError } from '@payflow/psp';
import { pspWebhookEventsTotal } from '../received-events/received-events-metrics';

/** Headers kept with a received event for audit: never credentials (Authorization) nor signatures. */
const AUDITED_HEADERS = ['content-type', 'user-agent', 'x-request-id', 'x-forwarded-for'];

/** The exact bytes received (the raw parser of configure-http.ts); empty when there was no body. */
export function rawBodyOf(request: Request): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export function auditedHeaders(request: Request): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of AUDITED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') kept[name] = value.slice(0, 512);
  }
  return kept;
}

export function requestIdOf(request: Request): string | undefined {
  const id = (request as Request & { id?: unknown }).id;
  return id === undefined ? undefined : String(id);
}

/**
 * The libs/psp verification errors as API.md's answers: a bad, stale or missing signature is 400
 * and nothing is stored; a signed body that is not the PSP's format is 400 too (a 4xx, so the PSP
 * sees it refused, and no retry of the same bytes will ever pass). The messages name the check
 * that failed, never a secret.
 */
export function toPspWebhookError(provider: Provider, error: unknown): unknown {
  if (error instanceof WebhookSignatureError) {
    pspWebhookEventsTotal.inc({ provider, outcome: 'signature_invalid' });
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      'invalid_request_error',
      'signature_invalid',
      `${provider} webhook signature rejected: ${error.message}`,
    );
  }
  if (error instanceof WebhookPayloadError) {
    pspWebhookEventsTotal.inc({ provider, outcome: 'payload_invalid' });
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      'invalid_request_error',
      'payload_invalid',
      `${provider} webhook payload rejected: ${error.message}`,
    );
  }
  return error;
}
