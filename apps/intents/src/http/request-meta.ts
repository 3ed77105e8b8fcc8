import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { isValidIdempotencyKey } from '@payflow/api';
import {
  FEE_SCHEDULE_HEADER,
  InternalRequestContext,
  headerOf,
  internalRequestContextOf,
} from '@payflow/platform/http';

/** What every internal call carries besides its body (docs/internal-api.md, "Headers"). */
export interface RequestMeta extends InternalRequestContext {
  feeScheduleHeader: string | undefined;
}

/** `@Meta()`: the merchant, ids, idempotency scope and fee schedule header of this call. */
export const Meta = createParamDecorator((_data: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<Request & { id?: unknown }>();
  return {
    ...internalRequestContextOf(request, isValidIdempotencyKey),
    feeScheduleHeader: headerOf(request, FEE_SCHEDULE_HEADER),
  };
});
