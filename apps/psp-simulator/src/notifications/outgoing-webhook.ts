import type { Provider } from '@payflow/contracts';

/** A webhook the simulated PSP owes PayFlow. Signed at each delivery attempt, as the PSPs do. */
export interface OutgoingWebhook {
  provider: Provider;
  /** For logs: `payment_intent.succeeded pi_…`, `AUTHORISATION 8815…`. */
  description: string;
  /** The exact bytes sent (and signed). */
  body: string;
  /** Headers for one delivery attempt, signature included. */
  sign(body: string): Record<string, string>;
}
