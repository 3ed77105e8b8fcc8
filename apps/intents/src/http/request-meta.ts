import { randomUUID } from 'node:crypto';
import { ExecutionContext, HttpStatus, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { isValidIdempotencyKey } from '@payflow/api';
import { ApiError, MERCHANT_ID_HEADER } from '@payflow/platform/http';
import { CORRELATION_ID_HEADER } from '@payflow/platform/observability';
import { requestFingerprint } from '@payflow/platform/http';
import { FEE_SCHEDULE_HEADER } from '../payment-intents/fee-schedule';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const FINGERPRINT_HEADER = 'x-idempotency-fingerprint';

const MERCHANT_ID = /^mer_[A-Za-z0-9_-]{1,64}$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface IdempotencyScope {
  merchantId: string;
  key: string;
  /** sha256 of method, path and canonical body: a reused key with another request is a 422. */
  fingerprint: string;
}

/** What every internal call carries besides its body (docs/internal-api.md, "Headers"). */
export interface RequestMeta {
  merchantId: string;
  requestId: string;
  correlationId: string;
  idempotency: IdempotencyScope | null;
  feeScheduleHeader: string | undefined;
}

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The authenticated merchant the gateway names; a call without one is not a merchant's call. */
export function merchantIdOf(request: Request): string {
  const merchantId = header(request, MERCHANT_ID_HEADER);
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

function idempotencyOf(request: Request, merchantId: string): IdempotencyScope | null {
  const key = header(request, IDEMPOTENCY_KEY_HEADER);
  if (key === undefined || request.method !== 'POST') return null;
  if (!isValidIdempotencyKey(key)) {
    throw ApiError.invalidParam('Idempotency-Key', 'Idempotency-Key must be 1 to 255 printable characters');
  }
  const given = header(request, FINGERPRINT_HEADER);
  if (given !== undefined && !SHA256_HEX.test(given)) {
    throw ApiError.invalidParam(
      FINGERPRINT_HEADER,
      `${FINGERPRINT_HEADER} must be a lower-case sha256 hex digest`,
    );
  }
  // The gateway always sends its fingerprint (of the public path); a caller without one gets the
  // same rule applied to the internal path, so a reused key is still caught.
  const fingerprint = given ?? requestFingerprint(request.method, request.path, request.body);
  return { merchantId, key, fingerprint };
}

/** `@Meta()`: the merchant, ids, idempotency scope and fee schedule header of this call. */
export const Meta = createParamDecorator((_data: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<Request & { id?: unknown }>();
  const merchantId = merchantIdOf(request);
  const requestId = request.id !== undefined ? String(request.id) : `req_${randomUUID()}`;
  const correlation = header(request, CORRELATION_ID_HEADER);
  return {
    merchantId,
    requestId,
    correlationId: correlation && SAFE_ID.test(correlation) ? correlation : requestId,
    idempotency: idempotencyOf(request, merchantId),
    feeScheduleHeader: header(request, FEE_SCHEDULE_HEADER),
  };
});

/** `@MerchantId()`: only the merchant, for reads. */
export const MerchantId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  merchantIdOf(context.switchToHttp().getRequest<Request>()),
);
