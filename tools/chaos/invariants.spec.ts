import {
  evaluateInvariants,
  intentsAgreeWithPsps,
  lateSuccessSuspenseNetsToZero,
  merchantBalances,
  noDoubleCharge,
  noIntentInFlight,
  noUnexpectedDeadLetters,
  oneCaptureEntryPerCapturedIntent,
  type Facts,
  type HeldPayment,
  type IntentFact,
} from './invariants';

const intent = (over: Partial<IntentFact>): IntentFact => ({
  id: 'pi_1',
  merchant_id: 'mer_1',
  status: 'captured',
  amount: 10_000,
  currency: 'USD',
  amount_received: 10_000,
  amount_refunded: 0,
  ...over,
});

const held = (over: Partial<HeldPayment>): HeldPayment => ({
  provider: 'stripe',
  psp_reference: 'pi_psp_1',
  intent_id: 'pi_1',
  attempt_id: 'att_1',
  amount: 10_000,
  currency: 'USD',
  authorized: true,
  captured: 10_000,
  refunded: 0,
  canceled: false,
  ...over,
});

// 290 bps of 10,000 = 290, + 30 fixed = 320.
const clean = (): Facts => ({
  intents: [intent({})],
  held: [held({})],
  captureEntries: [{ intent_id: 'pi_1', entries: 1, reversals: 0, amount: 10_000 }],
  balances: [{ merchant_id: 'mer_1', currency: 'USD', payable: 9_680, fees: 320 }],
  schedules: { mer_1: { feeBps: 290, feeFixed: { USD: 30 } } },
  verify: { balanced: true, violations: [] },
  deadLetters: [{ topic: 'x.dlq', consumer: 'ledger', reason: 'invalid', error: 'not JSON', poison: true }],
  poisonInjected: 1,
  replay: { verdict: 'pass', detail: 'no difference' },
  unexpectedExits: [],
  refunds: [],
  openAttempts: [],
  overdueGauge: { total: 0 },
  suspense: [{ provider: 'stripe', currency: 'USD', net: 0 }],
});

describe('chaos invariants', () => {
  it('all pass on a consistent world', () => {
    expect(evaluateInvariants(clean()).filter((i) => i.verdict !== 'pass')).toEqual([]);
  });

  it('fails on an intent left in flight', () => {
    const facts = { ...clean(), intents: [intent({ status: 'capturing' })] };
    expect(noIntentInFlight(facts)).toMatchObject({ verdict: 'fail', examples: ['pi_1 capturing'] });
  });

  it('fails when an intent and the PSPs disagree on amounts or on an open authorization', () => {
    expect(intentsAgreeWithPsps({ ...clean(), held: [held({ captured: 9_000 })] }).verdict).toBe('fail');
    expect(intentsAgreeWithPsps({ ...clean(), held: [held({ refunded: 100 })] }).verdict).toBe('fail');
    // A canceled intent whose authorization is still open at the PSP.
    expect(
      intentsAgreeWithPsps({
        ...clean(),
        intents: [intent({ status: 'canceled', amount_received: 0 })],
        held: [held({ captured: 0 })],
      }).verdict,
    ).toBe('fail');
    // An authorized intent with no authorization anywhere.
    expect(
      intentsAgreeWithPsps({
        ...clean(),
        intents: [intent({ status: 'authorized', amount_received: 0 })],
        held: [],
      }).verdict,
    ).toBe('fail');
    // A declined intent, nothing at the PSP: agreement.
    expect(
      intentsAgreeWithPsps({
        ...clean(),
        intents: [intent({ status: 'failed', amount_received: 0 })],
        held: [held({ authorized: false, captured: 0 })],
      }).verdict,
    ).toBe('pass');
  });

  it('counts charges across both PSPs: a failover double charge fails, a voided one does not', () => {
    const second = held({ provider: 'adyen', psp_reference: 'ADY1', captured: 0 });
    expect(noDoubleCharge({ ...clean(), held: [held({}), second] })).toMatchObject({ verdict: 'fail' });
    expect(noDoubleCharge({ ...clean(), held: [held({}), { ...second, canceled: true }] }).verdict).toBe(
      'pass',
    );
  });

  it('wants exactly one capture entry of the captured amount per captured intent, none otherwise', () => {
    expect(oneCaptureEntryPerCapturedIntent({ ...clean(), captureEntries: [] }).verdict).toBe('fail');
    expect(
      oneCaptureEntryPerCapturedIntent({
        ...clean(),
        captureEntries: [{ intent_id: 'pi_1', entries: 2, reversals: 0, amount: 20_000 }],
      }).verdict,
    ).toBe('fail');
    expect(
      oneCaptureEntryPerCapturedIntent({
        ...clean(),
        captureEntries: [{ intent_id: 'pi_1', entries: 1, reversals: 0, amount: 9_999 }],
      }).verdict,
    ).toBe('fail');
    const canceled = { ...clean(), intents: [intent({ status: 'canceled', amount_received: 0 })] };
    expect(oneCaptureEntryPerCapturedIntent(canceled).verdict).toBe('fail');
  });

  it('computes each merchant balance as captures − fees − refunds with the merchant schedule', () => {
    expect(merchantBalances(clean()).verdict).toBe('pass');
    const refunded = {
      ...clean(),
      intents: [intent({ status: 'partially_refunded', amount_refunded: 1_000 })],
    };
    expect(merchantBalances(refunded).verdict).toBe('fail');
    expect(
      merchantBalances({
        ...refunded,
        balances: [{ merchant_id: 'mer_1', currency: 'USD', payable: 8_680, fees: 320 }],
      }).verdict,
    ).toBe('pass');
  });

  it('accepts only the poison among dead letters', () => {
    const facts = clean();
    const letters = [
      ...(facts.deadLetters as []),
      { topic: 'x.dlq', consumer: 'orchestrator', reason: 'failed', error: 'boom', poison: false },
    ];
    expect(noUnexpectedDeadLetters({ ...facts, deadLetters: letters })).toMatchObject({ verdict: 'fail' });
    expect(noUnexpectedDeadLetters({ ...facts, deadLetters: { error: 'broker down' } }).verdict).toBe('fail');
  });

  it('reports an unavailable replay as unavailable, and an exited service as a failure', () => {
    const results = evaluateInvariants({
      ...clean(),
      replay: { verdict: 'unavailable', detail: 'not built yet' },
      unexpectedExits: ['webhooks exited'],
    });
    expect(results.find((r) => r.name === 'replay_ledger_no_difference')?.verdict).toBe('unavailable');
    expect(results.find((r) => r.name === 'no_service_exited')?.verdict).toBe('fail');
  });

  describe("issue 10: the PSP's last word", () => {
    const final = (over: Partial<HeldPayment>): HeldPayment =>
      held({
        status: 'captured',
        amount_authorized: 10_000,
        amount_held: 0,
        amount_captured: 10_000,
        amount_refunded: 0,
        net_charge: 10_000,
        failed_captures: 0,
        failed_refunds: 0,
        ...over,
      });
    const failed = intent({ status: 'failed', amount_received: 0 });

    it('agree on the final states: a refund that failed later counts as no refund on both sides', () => {
      // The PSP refunded 3,000, then the refund failed: the customer paid 10,000; PayFlow reversed the refund.
      const facts = {
        ...clean(),
        held: [final({ refunded: 0, amount_refunded: 0, failed_refunds: 1 })],
        refunds: [{ intent_id: 'pi_1', succeeded: 0, pending: 0 }],
      };
      expect(intentsAgreeWithPsps(facts).verdict).toBe('pass');
      // PayFlow still counting the refund that failed: disagreement.
      const stale = { ...facts, refunds: [{ intent_id: 'pi_1', succeeded: 3_000, pending: 0 }] };
      expect(intentsAgreeWithPsps(stale)).toMatchObject({
        verdict: 'fail',
        examples: [expect.stringContaining("net charge is 10000, PayFlow's 7000")],
      });
    });

    it('accept a late success refunded by PayFlow (net 0), and fail one left charged or held', () => {
      const reversed = final({ captured: 10_000, refunded: 10_000, amount_refunded: 10_000, net_charge: 0 });
      expect(intentsAgreeWithPsps({ ...clean(), intents: [failed], held: [reversed] }).verdict).toBe('pass');
      expect(
        noDoubleCharge({ ...clean(), intents: [failed], held: [reversed, final({ psp_reference: 'pi_2' })] })
          .verdict,
      ).toBe('pass');
      expect(intentsAgreeWithPsps({ ...clean(), intents: [failed], held: [final({})] }).verdict).toBe('fail');
      const voidedLate = final({
        status: 'canceled',
        canceled: true,
        captured: 0,
        amount_captured: 0,
        net_charge: 0,
      });
      expect(intentsAgreeWithPsps({ ...clean(), intents: [failed], held: [voidedLate] }).verdict).toBe(
        'pass',
      );
      const stillHeld = final({
        status: 'authorized',
        captured: 0,
        amount_captured: 0,
        net_charge: 0,
        amount_held: 10_000,
      });
      expect(intentsAgreeWithPsps({ ...clean(), intents: [failed], held: [stillHeld] })).toMatchObject({
        verdict: 'fail',
        examples: [expect.stringContaining('still hold 10000')],
      });
    });

    it('want the hold of a capture the PSP took back released once the intent is failed', () => {
      const takenBack = final({
        status: 'authorized',
        captured: 0,
        amount_captured: 0,
        net_charge: 0,
        failed_captures: 1,
        amount_held: 10_000,
      });
      expect(intentsAgreeWithPsps({ ...clean(), intents: [failed], held: [takenBack] }).verdict).toBe('fail');
      expect(
        intentsAgreeWithPsps({
          ...clean(),
          intents: [failed],
          held: [{ ...takenBack, amount_held: 0, canceled: true }],
        }).verdict,
      ).toBe('pass');
    });

    it('count the standing captures: one reversed by its capture_reversal entry stands no more', () => {
      const reversed = {
        ...clean(),
        intents: [failed],
        captureEntries: [{ intent_id: 'pi_1', entries: 1, reversals: 1, amount: 0 }],
      };
      expect(oneCaptureEntryPerCapturedIntent(reversed).verdict).toBe('pass');
      // Captured again after the reversal (a new authorization): two captures, one reversed.
      expect(
        oneCaptureEntryPerCapturedIntent({
          ...clean(),
          captureEntries: [{ intent_id: 'pi_1', entries: 2, reversals: 1, amount: 10_000 }],
        }).verdict,
      ).toBe('pass');
      expect(
        oneCaptureEntryPerCapturedIntent({
          ...reversed,
          captureEntries: [{ intent_id: 'pi_1', entries: 1, reversals: 0, amount: 10_000 }],
        }).verdict,
      ).toBe('fail');
    });

    it('fail on a pending refund, unless an overdue Adyen operation counted by the gauge explains it', () => {
      const pending = { ...clean(), refunds: [{ intent_id: 'pi_1', succeeded: 0, pending: 1 }] };
      expect(noIntentInFlight(pending)).toMatchObject({
        verdict: 'fail',
        examples: ['pi_1 1 refund(s) pending'],
      });
      const overdue = {
        ...pending,
        openAttempts: [
          {
            intent_id: 'pi_1',
            attempt_id: 'att_2',
            provider: 'adyen',
            operation: 'refund',
            status: 'pending',
            overdue: true,
          },
        ],
        overdueGauge: { total: 1 },
      };
      expect(noIntentInFlight(overdue).verdict).toBe('pass');
      expect(noIntentInFlight({ ...overdue, overdueGauge: { total: 0 } }).verdict).toBe('fail');
      expect(noIntentInFlight({ ...overdue, overdueGauge: { error: 'unreachable' } }).verdict).toBe('fail');
      // A Stripe attempt is never excused: PayFlow can read it back.
      const stripe = { ...overdue, openAttempts: [{ ...overdue.openAttempts[0], provider: 'stripe' }] };
      expect(noIntentInFlight(stripe).verdict).toBe('fail');
      // Nor is an Adyen one not yet overdue.
      const notOverdue = { ...overdue, openAttempts: [{ ...overdue.openAttempts[0], overdue: false }] };
      expect(noIntentInFlight(notOverdue).verdict).toBe('fail');
    });

    it('want every suspense account at 0 once late successes are reversed', () => {
      expect(lateSuccessSuspenseNetsToZero(clean()).verdict).toBe('pass');
      expect(
        lateSuccessSuspenseNetsToZero({
          ...clean(),
          suspense: [{ provider: 'adyen', currency: 'EUR', net: 500 }],
        }),
      ).toMatchObject({ verdict: 'fail', examples: ['adyen EUR: 500'] });
      expect(lateSuccessSuspenseNetsToZero({ ...clean(), suspense: { error: 'down' } }).verdict).toBe('fail');
    });
  });
});
