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

/** How an intent was closed, as far as the ledger has seen: its capture or its cancel. */
export type ClosedAs = 'captured' | 'canceled';
export type ClosedIntents = (intentId: string) => ClosedAs | undefined;

/** An entry to book, or none and why (logged: a late event that no longer applies says so). */
export type EntryDecision = { entry: PlannedEntry; skipped?: undefined } | { entry: null; skipped: string };

/** The intent an event is about. */
export function intentIdOf(event: MoneyEvent): string {
  return event.type === 'refund.succeeded' ? event.data.refund.payment_intent : event.data.intent.id;
}

/** The closure an event records (a capture or a cancel ends the intent's authorization), if any. */
export function closureOf(event: MoneyEvent): ClosedAs | undefined {
  if (event.type === 'payment_intent.captured') return 'captured';
  if (event.type === 'payment_intent.canceled') return 'canceled';
  return undefined;
}

/**
 * Turns one event into the journal entry it books, or null when it moves no money (a cancel of an
 * intent that never held an authorization, a second authorization while one is open, a late
 * authorization of an intent already captured or canceled).
 */
export function planEntry(event: MoneyEvent, openHold: OpenHolds, closedIntent: ClosedIntents = () => undefined): PlannedEntry | null {
  return decideEntry(event, openHold, closedIntent).entry;
}

/**
 * planEntry with the reason when nothing is booked. Events can arrive late (a redrive of a dead
 * letter, a replay): an authorization that comes after the intent's capture or cancel would book a
 * hold that nothing ever releases, so it books nothing.
 */
export function decideEntry(event: MoneyEvent, openHold: OpenHolds, closedIntent: ClosedIntents = () => undefined): EntryDecision {
  const base = { merchantId: event.merchant_id, sourceEventId: event.id };
  switch (event.type) {
    case 'payment_intent.authorized': {
      const { intent, provider, amount_authorized } = event.data;
      const closed = closedIntent(intent.id);
      if (closed) return { entry: null, skipped: `late authorization: intent ${intent.id} was already ${closed}, no hold booked` };
      if (openHold(intent.id)) return { entry: null, skipped: `intent ${intent.id} already holds an authorization` };
      const hold = { provider, merchantId: event.merchant_id, currency: intent.currency, amount: BigInt(amount_authorized) };
      return {
        entry: { ...base, kind: 'authorization_hold', intentId: intent.id, voidsHold: false, postings: authorizationHoldPostings(hold) },
      };
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
        entry: {
          ...base,
          kind: 'capture',
          intentId: intent.id,
          voidsHold: hold !== undefined,
          postings: hold ? [...capture, ...holdReleasePostings(hold)] : capture,
        },
      };
    }
    case 'payment_intent.canceled': {
      const { intent } = event.data;
      const hold = openHold(intent.id);
      if (!hold) {
        const closed = closedIntent(intent.id);
        return { entry: null, skipped: `intent ${intent.id} has no open authorization hold to release${closed ? ` (already ${closed})` : ''}` };
      }
      return { entry: { ...base, kind: 'hold_void', intentId: intent.id, voidsHold: true, postings: holdReleasePostings(hold) } };
    }
    case 'refund.succeeded': {
      const { refund, provider, amount } = event.data;
      return {
        entry: {
          ...base,
          kind: 'refund',
          intentId: refund.payment_intent,
          voidsHold: false,
          postings: refundPostings({ provider, merchantId: event.merchant_id, currency: refund.currency, amount: BigInt(amount) }),
        },
      };
    }
  }
}
