import { CAPTURE_METHODS, PAYMENT_INTENT_STATUSES, type PaymentIntentStatus } from '@payflow/contracts';
import {
  INTENT_COMMANDS,
  INTENT_EVENTS,
  IntentCommand,
  IntentEvent,
  decide,
  statusesAllowing,
} from './transitions';
import { isTransitionRefusal, transitionRefused } from './transition-refused';

/**
 * The expected table, written out by hand from DESIGN.md so the test does not derive its oracle
 * from the code under test. `-` = refused (409 invalid_state_transition for a command).
 * Refund guards are checked separately below; here something is left to refund.
 */
const _ = '-' as const;
type Cell = PaymentIntentStatus | typeof _;

// prettier-ignore
const COMMANDS: Record<PaymentIntentStatus, Record<IntentCommand, Cell>> = {
  //                   authorize       capture        cancel         refund
  created:            { authorize: 'authorizing', capture: _,         cancel: 'canceled',  refund: _ },
  authorizing:        { authorize: _,             capture: _,         cancel: _,           refund: _ },
  authorized:         { authorize: _,             capture: 'capturing', cancel: 'canceling', refund: _ },
  capturing:          { authorize: _,             capture: _,         cancel: _,           refund: _ },
  captured:           { authorize: _,             capture: _,         cancel: _,           refund: 'captured' },
  partially_refunded: { authorize: _,             capture: _,         cancel: _,           refund: 'partially_refunded' },
  refunded:           { authorize: _,             capture: _,         cancel: _,           refund: _ },
  canceling:          { authorize: _,             capture: _,         cancel: _,           refund: _ },
  canceled:           { authorize: _,             capture: _,         cancel: _,           refund: _ },
  failed:             { authorize: 'authorizing', capture: _,         cancel: _,           refund: _ },
};

// Results for a `manual` intent; refund_succeeded here leaves part of the capture unrefunded, and
// refund_reversed leaves another succeeded refund standing (refundedAfterReversal > 0).
// `late_success` is a fact about an earlier attempt: every status stays what it is. A refund made
// before its capture was reversed settles (or is reversed) whatever the intent went on to.
// prettier-ignore
const EVENTS_MANUAL: Record<PaymentIntentStatus, Partial<Record<IntentEvent, Cell>>> = {
  created:            { late_success: 'created' },
  authorizing:        { authorization_succeeded: 'authorized', authorization_failed: 'failed',
                        refund_reversed: 'authorizing', refund_succeeded: 'authorizing', refund_failed: 'authorizing', late_success: 'authorizing' },
  authorized:         { expire: 'canceling', refund_reversed: 'authorized', refund_succeeded: 'authorized', refund_failed: 'authorized', late_success: 'authorized' },
  capturing:          { capture_succeeded: 'captured', capture_failed: 'authorized', capture_reversed: 'failed',
                        refund_reversed: 'capturing', refund_succeeded: 'capturing', refund_failed: 'capturing', late_success: 'capturing' },
  captured:           { refund_succeeded: 'partially_refunded', refund_failed: 'captured', capture_reversed: 'failed',
                        refund_reversed: 'partially_refunded', late_success: 'captured' },
  partially_refunded: { refund_succeeded: 'partially_refunded', refund_failed: 'partially_refunded',
                        capture_reversed: 'failed', refund_reversed: 'partially_refunded', late_success: 'partially_refunded' },
  refunded:           { capture_reversed: 'failed', refund_reversed: 'partially_refunded', late_success: 'refunded' },
  canceling:          { cancel_succeeded: 'canceled', cancel_failed: 'authorized', refund_reversed: 'canceling', refund_succeeded: 'canceling', refund_failed: 'canceling',
                        late_success: 'canceling' },
  canceled:           { refund_reversed: 'canceled', refund_succeeded: 'canceled', refund_failed: 'canceled', late_success: 'canceled' },
  failed:             { refund_reversed: 'failed', refund_succeeded: 'failed', refund_failed: 'failed', late_success: 'failed' },
};

// `automatic`: the orchestrator authorizes and captures, so capture results also apply while
// authorizing or authorized — and while canceling: a cancel asked for between the authorization and
// the capture loses to the PSP's capture (issue 10, item 7).
const EVENTS_AUTOMATIC: Record<PaymentIntentStatus, Partial<Record<IntentEvent, Cell>>> = {
  ...EVENTS_MANUAL,
  authorizing: { ...EVENTS_MANUAL.authorizing, capture_succeeded: 'captured', capture_failed: 'authorized' },
  authorized: { ...EVENTS_MANUAL.authorized, capture_succeeded: 'captured', capture_failed: 'authorized' },
  canceling: { ...EVENTS_MANUAL.canceling, capture_succeeded: 'captured' },
};

const cell = (decision: ReturnType<typeof decide>): Cell => (decision.allowed ? decision.to : _);

describe('payment intent transition table', () => {
  it('the expected tables cover every status', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...PAYMENT_INTENT_STATUSES].sort());
    expect(Object.keys(EVENTS_MANUAL).sort()).toEqual([...PAYMENT_INTENT_STATUSES].sort());
  });

  describe.each(CAPTURE_METHODS)('capture_method %s', (captureMethod) => {
    const pairs = PAYMENT_INTENT_STATUSES.flatMap((status) =>
      INTENT_COMMANDS.map((command) => [status, command] as const),
    );

    it(`decides all ${PAYMENT_INTENT_STATUSES.length * INTENT_COMMANDS.length} (status, command) pairs as DESIGN.md says`, () => {
      expect(pairs).toHaveLength(40);
      for (const [status, command] of pairs) {
        const decision = decide(command, { status, captureMethod, refundable: 5_000, refundAmount: 3_000 });
        expect({ status, command, to: cell(decision) }).toEqual({
          status,
          command,
          to: COMMANDS[status][command],
        });
      }
    });

    const events = captureMethod === 'automatic' ? EVENTS_AUTOMATIC : EVENTS_MANUAL;
    const eventPairs = PAYMENT_INTENT_STATUSES.flatMap((status) =>
      INTENT_EVENTS.map((event) => [status, event] as const),
    );

    it(`decides all ${PAYMENT_INTENT_STATUSES.length * INTENT_EVENTS.length} (status, result event) pairs`, () => {
      expect(eventPairs).toHaveLength(PAYMENT_INTENT_STATUSES.length * 12);
      for (const [status, event] of eventPairs) {
        const decision = decide(event, {
          status,
          captureMethod,
          fullyRefunded: false,
          refundedAfterReversal: 1_000,
        });
        expect({ status, event, to: cell(decision) }).toEqual({
          status,
          event,
          to: events[status][event] ?? _,
        });
      }
    });
  });

  it('gives every refusal a reason naming the command and the status', () => {
    const decision = decide('capture', { status: 'created', captureMethod: 'manual' });
    expect(decision).toEqual({ allowed: false, reason: 'Cannot capture a payment intent in status created' });
  });

  describe('refund guards', () => {
    it.each(['captured', 'partially_refunded'] as const)(
      'from %s: allowed only while the amount fits what is left',
      (status) => {
        const facts = { status, captureMethod: 'manual' as const };
        expect(decide('refund', { ...facts, refundable: 3_000, refundAmount: 3_000 }).allowed).toBe(true);
        expect(decide('refund', { ...facts, refundable: 3_000 }).allowed).toBe(true); // default: all that is left
        expect(decide('refund', { ...facts, refundable: 3_000, refundAmount: 3_001 })).toEqual({
          allowed: false,
          reason: 'Cannot refund this payment intent: the amount exceeds what is left to refund',
        });
        expect(decide('refund', { ...facts, refundable: 0 }).allowed).toBe(false);
      },
    );

    it('a settled refund that covers the capture makes the intent refunded', () => {
      for (const status of ['captured', 'partially_refunded'] as const) {
        expect(decide('refund_succeeded', { status, captureMethod: 'manual', fullyRefunded: true })).toEqual({
          allowed: true,
          to: 'refunded',
        });
      }
    });
  });

  describe("the PSP's last word", () => {
    it('a reversed refund leaves the intent captured once no succeeded refund is left', () => {
      for (const status of ['captured', 'partially_refunded', 'refunded'] as const) {
        for (const captureMethod of CAPTURE_METHODS) {
          expect(decide('refund_reversed', { status, captureMethod, refundedAfterReversal: 0 })).toEqual({
            allowed: true,
            to: 'captured',
          });
        }
      }
    });

    it('a reversed capture fails the intent, which may then be authorized again', () => {
      const failed = decide('capture_reversed', { status: 'partially_refunded', captureMethod: 'automatic' });
      expect(failed).toEqual({ allowed: true, to: 'failed' });
      expect(decide('authorize', { status: 'failed', captureMethod: 'automatic' })).toEqual({
        allowed: true,
        to: 'authorizing',
      });
    });

    it('a cancel asked for before an automatic capture was reported does not keep a captured payment authorized', () => {
      expect(decide('capture_succeeded', { status: 'canceling', captureMethod: 'automatic' })).toEqual({
        allowed: true,
        to: 'captured',
      });
      expect(decide('capture_succeeded', { status: 'canceling', captureMethod: 'manual' }).allowed).toBe(
        false,
      );
      // and the void that the PSP then refuses changes nothing
      expect(decide('cancel_failed', { status: 'captured', captureMethod: 'automatic' }).allowed).toBe(false);
    });

    it('a late success never moves the intent, whatever its status', () => {
      expect(statusesAllowing('late_success').sort()).toEqual([...PAYMENT_INTENT_STATUSES].sort());
      for (const status of PAYMENT_INTENT_STATUSES) {
        expect(decide('late_success', { status, captureMethod: 'automatic' })).toEqual({
          allowed: true,
          to: status,
        });
      }
    });
  });

  describe('an invoice payment (automatic capture, billing)', () => {
    const invoice = (status: PaymentIntentStatus) => ({
      status,
      captureMethod: 'automatic' as const,
      invoice: true,
    });

    it('a failed automatic capture is a failed payment, from authorizing or authorized', () => {
      expect(decide('capture_failed', invoice('authorizing'))).toEqual({ allowed: true, to: 'failed' });
      expect(decide('capture_failed', invoice('authorized'))).toEqual({ allowed: true, to: 'failed' });
      // a merchant's automatic intent keeps its authorization, as before
      expect(
        decide('capture_failed', { status: 'authorized', captureMethod: 'automatic', invoice: false }),
      ).toEqual({
        allowed: true,
        to: 'authorized',
      });
    });

    it('otherwise follows the automatic table: the invoice fact changes nothing else', () => {
      for (const status of PAYMENT_INTENT_STATUSES) {
        for (const trigger of [...INTENT_COMMANDS, ...INTENT_EVENTS]) {
          if (trigger === 'capture_failed' && (status === 'authorizing' || status === 'authorized')) continue;
          const facts = { status, captureMethod: 'automatic' as const, refundable: 1, fullyRefunded: false };
          expect([trigger, status, decide(trigger, { ...facts, invoice: true })]).toEqual([
            trigger,
            status,
            decide(trigger, facts),
          ]);
        }
      }
    });

    it('the failed payment may be authorized again (the next attempt)', () => {
      expect(decide('authorize', invoice('failed'))).toEqual({ allowed: true, to: 'authorizing' });
    });
  });

  it('lists the statuses a trigger may start from', () => {
    expect(statusesAllowing('authorize').sort()).toEqual(['created', 'failed']);
    expect(statusesAllowing('expire')).toEqual(['authorized']);
  });

  it('maps a refusal to 409 invalid_request_error invalid_state_transition', () => {
    const error = transitionRefused('Cannot capture a payment intent in status created');
    expect(error.status).toBe(409);
    expect(error.body().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_state_transition',
    });
    expect(isTransitionRefusal(error)).toBe(true);
  });
});
