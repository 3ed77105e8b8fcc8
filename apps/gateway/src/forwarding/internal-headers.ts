import {
  FEE_SCHEDULE_HEADER,
  IDEMPOTENCY_FINGERPRINT_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  INTERNAL_TOKEN_HEADER,
  MERCHANT_ID_HEADER,
} from '@payflow/platform/http';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER } from '@payflow/platform/observability';
import { feeScheduleHeader } from '../merchants/fee-schedule';
import type { ForwardCaller } from './forward-caller';

/**
 * The headers of docs/internal-api.md, built only from what the gateway established itself (the
 * merchant from the API key, ids it assigned or accepted as safe), never copied from the caller.
 */
export function internalHeaders(caller: ForwardCaller, internalToken: string): Record<string, string> {
  const headers: Record<string, string> = {
    [INTERNAL_TOKEN_HEADER]: internalToken,
    accept: 'application/json',
  };
  if (caller.merchant) {
    headers[MERCHANT_ID_HEADER] = caller.merchant.id;
    headers[FEE_SCHEDULE_HEADER] = feeScheduleHeader(caller.merchant);
  }
  if (caller.requestId) headers[REQUEST_ID_HEADER] = caller.requestId;
  if (caller.correlationId) headers[CORRELATION_ID_HEADER] = caller.correlationId;
  if (caller.idempotency) {
    headers[IDEMPOTENCY_KEY_HEADER] = caller.idempotency.key;
    headers[IDEMPOTENCY_FINGERPRINT_HEADER] = caller.idempotency.fingerprint;
  }
  return headers;
}
