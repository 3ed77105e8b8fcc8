import { randomUUID } from 'node:crypto';
import { ExecutionContext, HttpStatus, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { CORRELATION_ID_HEADER } from '@payflow/platform/observability';
import { ApiError } from './api-error';
import { MERCHANT_ID_HEADER } from './internal-token.guard';
import { requestFingerprint } from './request-fingerprint';

/** Headers of the gateway's internal calls (docs/internal-api.md, "Headers") besides the token. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_FINGERPRINT_HEADER = 'x-idempotency-fingerprint';
export const FEE_SCHEDULE_HEADER = 'x-merchant-fee-schedule';

const MERCHANT_ID = /^mer_[A-Za-z0-9_-]{1,64}$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A POST's Idempotency-Key, scoped to its merchant, with the fingerprint of the request. */
export interface IdempotencyScope {
  merchantId: string;
  key: string;
  /** sha256 of method, path and canonical body: a reused key with another request is a 422. */
  fingerprint: string;
}

/** What every internal call carries besides its body. */
export interface InternalRequestContext {
  merchantId: string;
  requestId: string;
  correlationId: string;
  idempotency: IdempotencyScope | null;
}

/** The key rule of the public API (`isValidIdempotencyKey` of libs/api), passed in by the service. */
export type IdempotencyKeyRule = (key: string) => boolean;

export function headerOf(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The authenticated merchant the gateway names; a call without one is not a merchant's call. */
export function merchantIdOf(request: Request): string {
  const merchantId = headerOf(request, MERCHANT_ID_HEADER);
  if (!merchantId || !MERCHANT_ID.test(merchantId)) {
    throw new ApiError(
      HttpStatus.UNAUTHORIZED,
      'authentication_error',
      'merchant_missing',
      `Internal endpoint: the ${MERCHANT_ID_HEADER} header must name the authenticated merchant (mer_…)`,
    );
  }
  return merchantId;
}

/** The idempotency scope of a POST with an Idempotency-Key; null for other calls. */
export function idempotencyScopeOf(
  request: Request,
  merchantId: string,
  isValidKey: IdempotencyKeyRule,
): IdempotencyScope | null {
  const key = headerOf(request, IDEMPOTENCY_KEY_HEADER);
  if (key === undefined || request.method !== 'POST') return null;
  if (!isValidKey(key)) {
    throw ApiError.invalidParam('Idempotency-Key', 'Idempotency-Key must be 1 to 255 printable characters');
  }
  const given = headerOf(request, IDEMPOTENCY_FINGERPRINT_HEADER);
  if (given !== undefined && !SHA256_HEX.test(given)) {
    throw ApiError.invalidParam(
      IDEMPOTENCY_FINGERPRINT_HEADER,
      `${IDEMPOTENCY_FINGERPRINT_HEADER} must be a lower-case sha256 hex digest`,
    );
  }
  // The gateway always sends its fingerprint (of the public path); a caller without one gets the
  // same rule applied to the internal path, so a reused key is still caught.
  const fingerprint = given ?? requestFingerprint(request.method, request.path, request.body);
  return { merchantId, key, fingerprint };
}

/** The merchant, request and correlation ids and idempotency scope of an internal call. */
export function internalRequestContextOf(
  request: Request & { id?: unknown },
  isValidKey: IdempotencyKeyRule,
): InternalRequestContext {
  const merchantId = merchantIdOf(request);
  const requestId = request.id !== undefined ? String(request.id) : `req_${randomUUID()}`;
  const correlation = headerOf(request, CORRELATION_ID_HEADER);
  return {
    merchantId,
    requestId,
    correlationId: correlation && SAFE_ID.test(correlation) ? correlation : requestId,
    idempotency: idempotencyScopeOf(request, merchantId, isValidKey),
  };
}

/** `@MerchantId()`: only the merchant, for reads. */
export const MerchantId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  merchantIdOf(context.switchToHttp().getRequest<Request>()),
);
