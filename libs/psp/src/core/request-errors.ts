import type { Provider } from '@payflow/contracts';
import { PspError } from './psp-error';
import { CurrencyConversionError } from './psp-currency';

/**
 * A request the connector refuses before sending (an amount the PSP cannot represent): surely not
 * executed, and repeating it on the same PSP cannot help, but another PSP may take it.
 */
export function unsendableRequest(provider: Provider, error: unknown): PspError | undefined {
  if (!(error instanceof CurrencyConversionError)) return undefined;
  return new PspError({
    provider,
    errorClass: 'not_executed',
    retryable: false,
    code: 'amount_not_supported',
    type: 'invalid_request_error',
    message: error.message,
    cause: error,
  });
}
