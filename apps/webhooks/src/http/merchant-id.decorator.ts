import { ExecutionContext, HttpStatus, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError, MERCHANT_ID_HEADER } from '@payflow/platform/http';

const MERCHANT_ID = /^mer_[A-Za-z0-9_-]{1,64}$/;

/** The authenticated merchant the gateway names; a call without one is not a merchant's call. */
export function merchantIdOf(request: Request): string {
  const value = request.headers[MERCHANT_ID_HEADER];
  const merchantId = Array.isArray(value) ? value[0] : value;
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

/** `@MerchantId()`: the merchant every read and write of this call is scoped to. */
export const MerchantId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  merchantIdOf(context.switchToHttp().getRequest<Request>()),
);
