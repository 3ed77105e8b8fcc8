import type { PspErrorClass } from '@payflow/psp';

/** How an attempt ends. Amounts in minor units. */
export type Settlement =
  | {
      status: 'succeeded';
      pspReference?: string | null;
      operationPspReference?: string | null;
      /** What the PSP says it authorized, captured, refunded (defaults to the attempt's amount). */
      amount?: number;
      /** Authorizations with automatic capture: what was captured with them. */
      amountCaptured?: number | null;
    }
  | {
      status: 'declined';
      code: string;
      declineCode?: string | null;
      message: string;
      /** The card network and the network's advice code, where the PSP gives them (dunning). */
      network?: string | null;
      adviceCode?: string | null;
      pspReference?: string | null;
      operationPspReference?: string | null;
    }
  | {
      status: 'failed';
      code: string;
      message: string;
      errorClass?: PspErrorClass | 'breaker_open' | null;
      pspReference?: string | null;
    };

/** What caused a settlement: the request event (worker outcomes) or the PSP notification event. */
export interface SettlementCause {
  eventId: string | null;
  correlationId: string | null;
}
