import {
  evaluateInvariants,
  intentsAgreeWithPsps,
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
  captureEntries: [{ intent_id: 'pi_1', entries: 1, amount: 10_000 }],
  balances: [{ merchant_id: 'mer_1', currency: 'USD', payable: 9_680, fees: 320 }],
  schedules: { mer_1: { feeBps: 290, feeFixed: { USD: 30 } } },
  verify: { balanced: true, violations: [] },
  deadLetters: [{ topic: 'x.dlq', consumer: 'ledger', reason: 'invalid', error: 'not JSON', poison: true }],
  poisonInjected: 1,
  replay: { verdict: 'pass', detail: 'no difference' },
  unexpectedExits: [],
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
        captureEntries: [{ intent_id: 'pi_1', entries: 2, amount: 20_000 }],
      }).verdict,
    ).toBe('fail');
    expect(
      oneCaptureEntryPerCapturedIntent({
        ...clean(),
        captureEntries: [{ intent_id: 'pi_1', entries: 1, amount: 9_999 }],
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
});
