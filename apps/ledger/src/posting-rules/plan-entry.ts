import { EventEnvelope, EventOf } from '@payflow/contracts';
import { PlannedEntry } from './planned-entry';
import {
  HoldFacts,
  authorizationHoldPostings,
  captureReversalPostings,
  capturePostings,
  holdReleasePostings,
  lateSuccessPostings,
  lateSuccessReversalPostings,
  refundPostings,
  refundReversalPostings,
} from './posting-rules';

/** The events that move money in the ledger. */
export const MONEY_EVENT_TYPES = [
  'payment_intent.authorized',
  'payment_intent.captured',
  'payment_intent.canceled',
  'refund.succeeded',
  'payment_intent.capture_reversed',
  'refund.reversed',
  'payment_intent.late_success_detected',
  'payment_intent.late_success_reversed',
] as const;
export type MoneyEventType = (typeof MONEY_EVENT_TYPES)[number];
export type MoneyEvent = { [T in MoneyEventType]: EventOf<T> }[MoneyEventType];

export function isMoneyEvent(event: EventEnvelope): event is MoneyEvent {
  return (MONEY_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** What the planner needs to know of the book: the open authorization hold of an intent. */
export type OpenHolds = (intentId: string) => HoldFacts | undefined;

/**
 * How an intent's authorization was last closed, as far as the ledger has seen: its capture or its
 * cancel — or `reopened` by a reversed capture, after which the intent may be authorized again.
 */
export type ClosedAs = 'captured' | 'canceled' | 'reopened';

export interface IntentClosure {
  closedAs: ClosedAs;
  /**
   * The intent's aggregate_version in the event that recorded it (null for closures recorded before
   * it was kept). An authorization with a higher version came after a reopening: a new one.
   */
  version: number | null;
}

export type ClosedIntents = (intentId: string) => IntentClosure | undefined;

/** An entry to book, or none and why (logged: a late event that no longer applies says so). */
export type EntryDecision = { entry: PlannedEntry; skipped?: undefined } | { entry: null; skipped: string };

/** The intent an event is about. */
export function intentIdOf(event: MoneyEvent): string {
  return event.type === 'refund.succeeded' || event.type === 'refund.reversed'
    ? event.data.refund.payment_intent
    : event.data.intent.id;
}

/**
 * The closure an event records, if any: a capture or a cancel ends the intent's authorization; a
 * reversed capture reopens the intent to a new one.
 */
export function closureOf(event: MoneyEvent): IntentClosure | undefined {
  const version = event.aggregate_version;
  if (event.type === 'payment_intent.captured') return { closedAs: 'captured', version };
  if (event.type === 'payment_intent.canceled') return { closedAs: 'canceled', version };
  if (event.type === 'payment_intent.capture_reversed') return { closedAs: 'reopened', version };
  return undefined;
}

/**
 * Whether `next` replaces the intent's closure `current`: the first capture or cancel stands (a later
 * one is a late event), a reopening replaces anything, and after a reopening the next closure counts.
 */
export function replacesClosure(current: IntentClosure | undefined, next: IntentClosure): boolean {
  return current === undefined || current.closedAs === 'reopened' || next.closedAs === 'reopened';
}

/** Whether an authorization event is a new one of an intent whose capture was reversed before it. */
function authorizedAfterReopening(closure: IntentClosure, event: MoneyEvent): boolean {
  return (
    closure.closedAs === 'reopened' && closure.version !== null && event.aggregate_version > closure.version
  );
}

/**
 * Turns one event into the journal entry it books, or null when it moves no money (a cancel of an
 * intent that never held an authorization, a second authorization while one is open, a late
 * authorization of an intent already captured or canceled).
 */
export function planEntry(
  event: MoneyEvent,
  openHold: OpenHolds,
  closedIntent: ClosedIntents = () => undefined,
): PlannedEntry | null {
  return decideEntry(event, openHold, closedIntent).entry;
}

/**
 * planEntry with the reason when nothing is booked. Events can arrive late (a redrive of a dead
 * letter, a replay): an authorization that comes after the intent's capture or cancel would book a
 * hold that nothing ever releases, so it books nothing — unless a reversed capture reopened the
 * intent before it.
 */
export function decideEntry(
  event: MoneyEvent,
  openHold: OpenHolds,
  closedIntent: ClosedIntents = () => undefined,
): EntryDecision {
  const base = { merchantId: event.merchant_id, sourceEventId: event.id };
  switch (event.type) {
    case 'payment_intent.authorized': {
      const { intent, provider, amount_authorized } = event.data;
      const closed = closedIntent(intent.id);
      if (closed && !authorizedAfterReopening(closed, event)) {
        const was =
          closed.closedAs === 'reopened' ? 'reopened after this authorization' : `already ${closed.closedAs}`;
        return { entry: null, skipped: `late authorization: intent ${intent.id} was ${was}, no hold booked` };
      }
      if (openHold(intent.id))
        return { entry: null, skipped: `intent ${intent.id} already holds an authorization` };
      const hold = {
        provider,
        merchantId: event.merchant_id,
        currency: intent.currency,
        amount: BigInt(amount_authorized),
      };
      return {
        entry: {
          ...base,
          kind: 'authorization_hold',
          intentId: intent.id,
          voidsHold: false,
          postings: authorizationHoldPostings(hold),
        },
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
        return {
          entry: null,
          skipped: `intent ${intent.id} has no open authorization hold to release${closed ? ` (already ${closed.closedAs})` : ''}`,
        };
      }
      return {
        entry: {
          ...base,
          kind: 'hold_void',
          intentId: intent.id,
          voidsHold: true,
          postings: holdReleasePostings(hold),
        },
      };
    }
    case 'refund.succeeded': {
      const { refund, provider, amount } = event.data;
      return {
        entry: {
          ...base,
          kind: 'refund',
          intentId: refund.payment_intent,
          voidsHold: false,
          postings: refundPostings({
            provider,
            merchantId: event.merchant_id,
            currency: refund.currency,
            amount: BigInt(amount),
          }),
        },
      };
    }
    case 'payment_intent.capture_reversed':
      return decideCaptureReversal(event, openHold, closedIntent);
    case 'refund.reversed': {
      // intents publishes it only for a refund it had reported succeeded, on the same partition
      // before it: the refund entry it reverses is in the book.
      const { refund, provider, amount } = event.data;
      return {
        entry: {
          ...base,
          kind: 'refund_reversal',
          intentId: refund.payment_intent,
          voidsHold: false,
          postings: refundReversalPostings({
            provider,
            merchantId: event.merchant_id,
            currency: refund.currency,
            amount: BigInt(amount),
          }),
        },
      };
    }
    case 'payment_intent.late_success_detected':
    case 'payment_intent.late_success_reversed': {
      const { intent, provider, amount_captured } = event.data;
      const detected = event.type === 'payment_intent.late_success_detected';
      if (amount_captured <= 0) {
        return {
          entry: null,
          skipped: `late success ${detected ? 'detected' : 'reversed'} of intent ${intent.id} captured nothing (a hold only): the PSP holds no money for the customer`,
        };
      }
      const facts = { provider, currency: intent.currency, amountCaptured: BigInt(amount_captured) };
      return {
        entry: {
          ...base,
          kind: detected ? 'late_success' : 'late_success_reversal',
          intentId: intent.id,
          voidsHold: false,
          postings: detected ? lateSuccessPostings(facts) : lateSuccessReversalPostings(facts),
        },
      };
    }
  }
}

/**
 * A capture the PSP reversed. Normally the capture is in the book (it closed the intent as
 * captured): its lines are reversed, fee included. If the reversal overtook the capture (the intent
 * went capturing → failed), the capture was never booked and the authorization hold is still open:
 * releasing it is the whole reversal. Anything else (a second reversal, a capture never seen) has
 * nothing to reverse.
 */
function decideCaptureReversal(
  event: EventOf<'payment_intent.capture_reversed'>,
  openHold: OpenHolds,
  closedIntent: ClosedIntents,
): EntryDecision {
  const { intent, provider, amount_reversed, fee_bps, fee_fixed } = event.data;
  const base = {
    merchantId: event.merchant_id,
    sourceEventId: event.id,
    kind: 'capture_reversal' as const,
    intentId: intent.id,
  };
  const hold = openHold(intent.id);
  if (hold) return { entry: { ...base, voidsHold: true, postings: holdReleasePostings(hold) } };
  const closed = closedIntent(intent.id);
  if (closed?.closedAs !== 'captured') {
    return {
      entry: null,
      skipped: `intent ${intent.id} has no booked capture to reverse${closed ? ` (it is ${closed.closedAs})` : ''}`,
    };
  }
  const postings = captureReversalPostings({
    provider,
    merchantId: event.merchant_id,
    currency: intent.currency,
    amountCaptured: BigInt(amount_reversed),
    feeBps: fee_bps,
    feeFixed: BigInt(fee_fixed),
  });
  return { entry: { ...base, voidsHold: false, postings } };
}
