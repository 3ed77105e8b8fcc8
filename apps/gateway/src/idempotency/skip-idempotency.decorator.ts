import { SetMetadata } from '@nestjs/common';

export const SKIP_IDEMPOTENCY = 'payflow:skip-idempotency';

/** For POST routes that are not API calls (the webhooks passthrough): Idempotency-Key is ignored. */
export const SkipIdempotency = () => SetMetadata(SKIP_IDEMPOTENCY, true);
