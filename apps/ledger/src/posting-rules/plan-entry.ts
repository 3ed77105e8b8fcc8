import { EventEnvelope, EventOf } from '@payflow/contracts';
import { PlannedEntry } from './planned-entry';
import {
  HoldFacts,
  authorizationHoldPostings,
  capturePostings,
  holdReleasePostings,
  refundPostings,
} from './posting-rules';

/** The events that move money in the ledger. */
export const MONEY_EVENT_TYPES = [
  'payment_intent.authorized',
  'payment_intent.captured',
  'payment_intent.canceled',
  'refund.succeeded',
] as const;
export type MoneyEventType = (typeof MONEY_EVENT_TYPES)[number];
export type MoneyEvent = { [T in MoneyEventType]: EventOf<T> }[MoneyEventType];

export function isMoneyEvent(event: EventEnvelope): event is MoneyEvent {
  return (MONEY_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** What the planner needs to know of the book: the open authorization hold of an intent. */
export type OpenHolds = (intentId: string) => HoldFacts | undefined;

/**
 * Turns one event into the journal entry it books, or null when it moves no money (a cancel of an
 * intent that never held an authorization, a second authorization while one is open).
 */
export function planEntry(event: MoneyEvent, openHold: OpenHolds): PlannedEntry | null {
  const base = { merchantId: event.merchant_id, sourceEventId: event.id };
  switch (event.type) {
    case 'payment_intent.authorized': {
      const { intent, provider, amount_authorized } = event.data;
      if (openHold(intent.id)) return null;
      const hold = { provider, merchantId: event.merchant_id, currency: intent.currency, amount: BigInt(amount_authorized) };
      return { ...base, kind: 'authorization_hold', intentId: intent.id, voidsHold: false, postings: authorizationHoldPostings(hold) };
    }
    case 'payment_intent.captured': {
      const { intent, provider, amount_captured, fee_bps, fee_fixed } = event.data;
      const hold = openHold(intent.id);
      const capture = capturePostings({
        provider,
        merchantId: event.merchant_id,
        currency: intent.currency,
        amountCaptured: BigInt(amount_captured),
        feeBps: fee_bps,
        feeFixed: BigInt(fee_fixed),
      });
      return {
        ...base,
        kind: 'capture',
        intentId: intent.id,
        voidsHold: hold !== undefined,
        postings: hold ? [...capture, ...holdReleasePostings(hold)] : capture,
      };
    }
    case 'payment_intent.canceled': {
      const { intent } = event.data;
      const hold = openHold(intent.id);
      if (!hold) return null;
      return { ...base, kind: 'hold_void', intentId: intent.id, voidsHold: true, postings: holdReleasePostings(hold) };
    }
    case 'refund.succeeded': {
      const { refund, provider, amount } = event.data;
      return {
        ...base,
        kind: 'refund',
        intentId: refund.payment_intent,
        voidsHold: false,
        postings: refundPostings({ provider, merchantId: event.merchant_id, currency: refund.currency, amount: BigInt(amount) }),
      };
    }
  }
}
