import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { isValidIdempotencyKey } from '@payflow/api';
import { InternalRequestContext, internalRequestContextOf } from '@payflow/platform/http';

/** What every internal call carries besides its body (docs/internal-api.md, "Headers"). */
export type RequestMeta = InternalRequestContext;

/** `@Meta()`: the merchant, request and correlation ids and the idempotency scope of this call. */
export const Meta = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestMeta =>
    internalRequestContextOf(context.switchToHttp().getRequest<Request & { id?: unknown }>(), isValidIdempotencyKey),
);
