/** Adyen Checkout shapes the simulator reads and answers (camelCase, amounts as {value, currency}). */
export interface AdyenAmount {
  value: number;
  currency: string;
}

/** One payment as the simulated Adyen keeps it. */
export interface AdyenPayment {
  pspReference: string;
  merchantAccount: string;
  amount: AdyenAmount;
  reference: string;
  merchantOrderReference?: string;
  metadata: Record<string, string>;
  brand: string;
  authorised: boolean;
  manualCapture: boolean;
  captured: number;
  refunded: number;
  cancelled: boolean;
}

export type AdyenModificationKind = 'capture' | 'refund' | 'cancel';

export interface AdyenRequestBody {
  merchantAccount?: unknown;
  amount?: { value?: unknown; currency?: unknown };
  reference?: unknown;
  merchantOrderReference?: unknown;
  metadata?: Record<string, unknown>;
  paymentMethod?: { type?: unknown; storedPaymentMethodId?: unknown };
  additionalData?: Record<string, unknown>;
  captureDelayHours?: unknown;
}
