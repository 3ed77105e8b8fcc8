import type { EventDataOf } from '@payflow/contracts';

/** The decline of a failed attempt as `invoice.payment_failed` reports it (dunning classifies it). */
export interface DeclineFacts {
  code: string;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
}

type FailureData =
  | EventDataOf<'payment_intent.authorization_failed'>
  | EventDataOf<'payment_intent.capture_failed'>;

const present = (value: string | null | undefined): string | null => (value ? value : null);

/**
 * The decline of an intent's failure event: the event's own fields first, then the intent's
 * `last_error` (where the PSP's network and advice codes also live). A failure that names no code
 * at all still has one (`payment_failed`, or `capture_failed` for a failed automatic capture), so
 * dunning always has something to classify.
 */
export function declineFactsOf(type: 'payment_intent.authorization_failed' | 'payment_intent.capture_failed', data: FailureData): DeclineFacts {
  const lastError = data.intent.last_error;
  const own = data as Partial<EventDataOf<'payment_intent.authorization_failed'>>;
  return {
    code:
      present(data.code) ??
      present(lastError?.code) ??
      (type === 'payment_intent.capture_failed' ? 'capture_failed' : 'payment_failed'),
    decline_code: present(own.decline_code) ?? present(lastError?.decline_code),
    network: present(own.network) ?? present(lastError?.network),
    advice_code: present(own.advice_code) ?? present(lastError?.advice_code),
  };
}
