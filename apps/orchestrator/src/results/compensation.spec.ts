import { ATTEMPT_STATUSES, COMPENSATIONS, RESOLUTIONS, type Attempt } from '../attempts/attempt';
import { compensationFollowUp, isCapturedRefusal, lateSuccessEffect } from './compensation';

const auth = (overrides: Partial<Attempt>) => ({
  id: 'att_auth',
  status: 'failed' as Attempt['status'],
  resolution: null,
  ...overrides,
});
const comp = (compensation: Attempt['compensation'], status: Attempt['status']) => ({
  compensates_attempt_id: 'att_auth',
  compensation,
  status,
});

describe('lateSuccessEffect', () => {
  it('adopts a success for an open authorization with no resolution under way', () => {
    for (const status of ['pending', 'unknown'] as const)
      expect(lateSuccessEffect(auth({ status }), [], true)).toBe('adopt');
  });

  it('waits while the deadline cancel runs; once the authorization failed, its outcome decides', () => {
    expect(
      lateSuccessEffect(
        auth({ status: 'unknown', resolution: 'deadline_cancel' }),
        [comp('deadline_cancel', 'pending')],
        true,
      ),
    ).toBe('wait');
    expect(
      lateSuccessEffect(
        auth({ status: 'failed', resolution: 'deadline_cancel' }),
        [comp('deadline_cancel', 'succeeded')],
        true,
      ),
    ).toBe('compensated');
    expect(
      lateSuccessEffect(
        auth({ status: 'failed', resolution: 'deadline_cancel' }),
        [comp('deadline_cancel', 'failed')],
        false,
      ),
    ).toBe('void');
  });

  it('voids a hold, refunds a capture, once', () => {
    for (const status of ['failed', 'declined'] as const) {
      expect(lateSuccessEffect(auth({ status }), [], false)).toBe('void');
      expect(lateSuccessEffect(auth({ status }), [], true)).toBe('refund');
      for (const compensation of ['late_success_void', 'late_success_refund'] as const)
        for (const s of ATTEMPT_STATUSES)
          expect(lateSuccessEffect(auth({ status }), [comp(compensation, s)], true)).toBe('compensated');
    }
  });

  it('a deadline cancel that released the hold is the compensation; one that was refused is not', () => {
    expect(lateSuccessEffect(auth({}), [comp('deadline_cancel', 'succeeded')], false)).toBe('compensated');
    expect(lateSuccessEffect(auth({}), [comp('deadline_cancel', 'failed')], true)).toBe('refund');
  });

  it('refunds what the PSP reports after refusing the deadline cancel as captured', () => {
    expect(
      lateSuccessEffect(
        auth({ status: 'unknown', resolution: 'awaiting_authorization' }),
        [comp('deadline_cancel', 'failed')],
        false,
      ),
    ).toBe('refund');
    expect(
      lateSuccessEffect(
        auth({ status: 'unknown', resolution: 'awaiting_authorization' }),
        [comp('deadline_cancel', 'failed'), comp('late_success_refund', 'pending')],
        true,
      ),
    ).toBe('compensated');
  });

  it('ignores compensations of other authorizations, and a success of a succeeded one', () => {
    expect(
      lateSuccessEffect(
        auth({}),
        [{ ...comp('late_success_void', 'succeeded'), compensates_attempt_id: 'att_other' }],
        false,
      ),
    ).toBe('void');
    expect(lateSuccessEffect(auth({ status: 'succeeded' }), [], true)).toBe('compensated');
  });

  it('gives an effect for every status, resolution and capture', () => {
    for (const status of ATTEMPT_STATUSES)
      for (const resolution of [null, ...RESOLUTIONS])
        for (const captured of [true, false])
          expect(['adopt', 'wait', 'void', 'refund', 'compensated']).toContain(
            lateSuccessEffect(auth({ status, resolution }), [], captured),
          );
  });
});

describe('compensationFollowUp', () => {
  const ended = (
    compensation: Attempt['compensation'],
    status: Attempt['status'],
    code: string | null = null,
  ) => ({ compensation, status, code, provider: 'stripe' as const });

  it('deadline cancel: released → fail; refused as captured → refund at once if the reference is known, else await the authorization', () => {
    expect(
      compensationFollowUp(
        ended('deadline_cancel', 'succeeded'),
        { psp_reference: null, resolution: 'deadline_cancel', status: 'unknown' as const },
        false,
      ),
    ).toEqual({ kind: 'fail_authorization' });
    expect(
      compensationFollowUp(
        ended('deadline_cancel', 'failed', 'already_captured'),
        { psp_reference: 'pi_1', resolution: 'deadline_cancel', status: 'unknown' as const },
        true,
      ),
    ).toEqual({ kind: 'refund_now' });
    expect(
      compensationFollowUp(
        ended('deadline_cancel', 'failed'),
        { psp_reference: null, resolution: 'deadline_cancel', status: 'unknown' as const },
        true,
      ),
    ).toEqual({ kind: 'await_authorization' });
    expect(
      compensationFollowUp(
        ended('deadline_cancel', 'failed', 'payment_canceled'),
        { psp_reference: 'pi_1', resolution: 'deadline_cancel', status: 'unknown' as const },
        false,
      ),
    ).toEqual({
      kind: 'fail_authorization',
    });
  });

  it('deadline cancel: nothing more when the PSP settled the authorization meanwhile (no second result)', () => {
    for (const status of ['succeeded', 'declined', 'failed'] as const)
      for (const ended_ of [
        ended('deadline_cancel', 'succeeded'),
        ended('deadline_cancel', 'failed', 'already_captured'),
      ])
        expect(
          compensationFollowUp(
            ended_,
            { psp_reference: 'pi_1', resolution: 'deadline_cancel', status },
            true,
          ),
        ).toEqual({ kind: 'none' });
  });

  it('late success void or refund: reversed (and the authorization failed if it was under resolution), or stuck', () => {
    for (const compensation of ['late_success_void', 'late_success_refund'] as const) {
      expect(
        compensationFollowUp(
          ended(compensation, 'succeeded'),
          { psp_reference: 'p', resolution: null, status: 'failed' as const },
          false,
        ),
      ).toEqual({ kind: 'reversed', andFail: false });
      expect(
        compensationFollowUp(
          ended(compensation, 'succeeded'),
          { psp_reference: 'p', resolution: 'awaiting_authorization', status: 'unknown' },
          false,
        ),
      ).toEqual({ kind: 'reversed', andFail: true });
      // Already failed by another path: not failed twice.
      expect(
        compensationFollowUp(
          ended(compensation, 'succeeded'),
          { psp_reference: 'p', resolution: 'deadline_cancel', status: 'failed' },
          false,
        ),
      ).toEqual({ kind: 'reversed', andFail: false });
      expect(
        compensationFollowUp(
          ended(compensation, 'failed'),
          { psp_reference: 'p', resolution: null, status: 'failed' as const },
          false,
        ),
      ).toEqual({ kind: 'stuck' });
    }
  });

  it('nothing while open, nothing for ordinary attempts', () => {
    for (const compensation of [null, ...COMPENSATIONS])
      for (const status of ['pending', 'unknown'] as const)
        expect(
          compensationFollowUp(
            ended(compensation, status),
            { psp_reference: null, resolution: null, status: 'unknown' as const },
            true,
          ),
        ).toEqual({ kind: 'none' });
    expect(
      compensationFollowUp(
        ended(null, 'succeeded'),
        { psp_reference: null, resolution: null, status: 'unknown' as const },
        false,
      ),
    ).toEqual({ kind: 'none' });
  });

  it('a refused cancel means captured: by Stripe code, any refusal of an Adyen technical cancel, or of an automatic-capture Adyen payment', () => {
    const table = (['stripe', 'adyen'] as const).flatMap((provider) =>
      ['already_captured', 'cancel_failed'].flatMap((code) =>
        (['manual', 'automatic'] as const).flatMap((capture_method) =>
          [true, false].map((byReference) => [
            provider,
            code,
            capture_method,
            byReference,
            isCapturedRefusal({ code, provider }, { capture_method }, byReference),
          ]),
        ),
      ),
    );
    expect(table.filter((row) => row[4]).map((row) => row.slice(0, 4))).toEqual([
      ['stripe', 'already_captured', 'manual', true],
      ['stripe', 'already_captured', 'manual', false],
      ['stripe', 'already_captured', 'automatic', true],
      ['stripe', 'already_captured', 'automatic', false],
      ['adyen', 'already_captured', 'manual', true],
      ['adyen', 'already_captured', 'manual', false],
      ['adyen', 'already_captured', 'automatic', true],
      ['adyen', 'already_captured', 'automatic', false],
      ['adyen', 'cancel_failed', 'manual', true],
      ['adyen', 'cancel_failed', 'automatic', true],
      ['adyen', 'cancel_failed', 'automatic', false],
    ]);
  });
});
