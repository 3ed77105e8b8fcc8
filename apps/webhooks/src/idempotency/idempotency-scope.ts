import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { isValidIdempotencyKey } from '@payflow/api';
import { IdempotencyScope, idempotencyScopeOf, merchantIdOf } from '@payflow/platform/http';

/** `@Idempotency()`: the POST's idempotency scope, or null when it has no Idempotency-Key. */
export const Idempotency = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotencyScope | null => {
    const request = context.switchToHttp().getRequest<Request>();
    return idempotencyScopeOf(request, merchantIdOf(request), isValidIdempotencyKey);
  },
);
