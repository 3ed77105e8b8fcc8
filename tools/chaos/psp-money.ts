/**
 * What one simulated PSP payment still holds and took, read from the simulator's inspection
 * (`GET /_simulator/inspection/payments`, docs/simulator.md): its final-state fields when it gives
 * them, else the older booleans they replace.
 */
import type { HeldPayment } from './invariants';

/** Still reserved on the card: authorized, not captured, not voided. */
export function heldAmount(payment: HeldPayment): number {
  if (payment.amount_held !== undefined) return payment.amount_held;
  return payment.authorized && !payment.canceled && payment.captured === 0 ? payment.amount : 0;
}

/** What the customer paid in the end: captured (and not failed later) − refunded (and not failed later). */
export function netCharge(payment: HeldPayment): number {
  return payment.net_charge ?? payment.captured - payment.refunded;
}

/** A payment that still holds money or took some, at the end. */
export function stillCharges(payment: HeldPayment): boolean {
  return heldAmount(payment) > 0 || netCharge(payment) > 0;
}

/** An intent's money at the PSPs, across both (a failover may have left a payment at each). */
export interface IntentPspMoney {
  net: number;
  held: number;
  /** Payments still holding an authorization. */
  holding: number;
}

export function intentPspMoney(payments: readonly HeldPayment[]): IntentPspMoney {
  let net = 0;
  let held = 0;
  let holding = 0;
  for (const payment of payments) {
    net += netCharge(payment);
    const hold = heldAmount(payment);
    held += hold;
    if (hold > 0) holding++;
  }
  return { net, held, holding };
}
