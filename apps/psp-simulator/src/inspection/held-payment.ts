import type { Provider } from '@payflow/contracts';

/** One payment as a simulated PSP holds it, in one shape for both PSPs. */
export interface HeldPayment {
  provider: Provider;
  psp_reference: string;
  /** The PayFlow intent and attempt the payment was made for (from its metadata). */
  intent_id: string | null;
  attempt_id: string | null;
  amount: number;
  currency: string;
  /** The authorization succeeded (money reserved or taken), whatever happened after. */
  authorized: boolean;
  captured: number;
  refunded: number;
  canceled: boolean;
}
