import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';

/**
 * API.md: an invoice's payment intent is billing's — a merchant cannot authorize, capture or cancel
 * it (`409 invalid_request_error invoice_payment`), only refund it. Nothing is written.
 */
export function invoicePaymentRefused(
  command: 'authorize' | 'capture' | 'cancel',
  invoice: string,
): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'invalid_request_error',
    'invoice_payment',
    `This payment intent pays invoice ${invoice}: billing collects it, so it cannot be ${PAST[command]} through this API (it may be refunded)`,
  );
}

const PAST = { authorize: 'authorized', capture: 'captured', cancel: 'canceled' } as const;
