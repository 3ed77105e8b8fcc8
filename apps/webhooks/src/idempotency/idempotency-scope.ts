import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { isValidIdempotencyKey } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';
import { merchantIdOf } from '../http/merchant-id.decorator';
import { requestFingerprint } from '@payflow/platform/http';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const FINGERPRINT_HEADER = 'x-idempotency-fingerprint';
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface IdempotencyScope {
  merchantId: string;
  key: string;
  /** The gateway's fingerprint of the public request; a reused key with another request is a 422. */
  fingerprint: string;
}

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `@Idempotency()`: the POST's idempotency scope, or null when it has no Idempotency-Key. */
export const Idempotency = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotencyScope | null => {
    const request = context.switchToHttp().getRequest<Request>();
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
    return {
      merchantId: merchantIdOf(request),
      key,
      // A caller without the gateway's fingerprint gets the same rule over the internal path.
      fingerprint: given ?? requestFingerprint(request.method, request.path, request.body),
    };
  },
);
