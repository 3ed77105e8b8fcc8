import { BrokenCircuitError } from 'cockatiel';
import { PspError } from '@payflow/psp';
import { OPERATIONS } from '../attempts/attempt';
import {
  classifyFailure,
  mayHaveExecuted,
  nextStep,
  type CallFailure,
  type NextStepInput,
} from './next-step';

const limits = {
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  notExecutedMaxTries: 3,
  indeterminateMaxTries: 2,
  unknownRetryIntervalMs: 10_000,
};

const failure = (errorClass: CallFailure['errorClass'], retryable = true): CallFailure => ({
  errorClass,
  retryable,
  code: `${errorClass}_code`,
  message: `${errorClass} happened`,
});

const input = (overrides: Partial<NextStepInput>): NextStepInput => ({
  operation: 'authorize',
  failure: failure('not_executed'),
  tryNo: 1,
  maybeExecuted: false,
  unknown: false,
  failoverTarget: null,
  breakerWaitMs: 0,
  limits,
  random: () => 0.5,
  ...overrides,
});

describe('error classification', () => {
  it("takes the connector's class, and reads an open breaker and unexplained errors apart", () => {
    const refused = new PspError({
      provider: 'stripe',
      errorClass: 'not_executed',
      retryable: true,
      code: 'psp_unreachable',
      message: 'refused',
    });
    expect(classifyFailure(refused, 'stripe')).toEqual({
      errorClass: 'not_executed',
      retryable: true,
      code: 'psp_unreachable',
      message: 'refused',
    });
    expect(classifyFailure(new BrokenCircuitError(), 'adyen')).toMatchObject({
      errorClass: 'breaker_open',
      retryable: true,
    });
    // Something unexplained may have been sent: never treated as surely not executed.
    expect(classifyFailure(new TypeError('boom'), 'stripe')).toMatchObject({
      errorClass: 'indeterminate',
      code: 'internal_error',
    });
  });
});

describe('next step after a failed call', () => {
  it('declined: final for the attempt', () => {
    expect(nextStep(input({ failure: failure('declined', false) }))).toEqual({
      kind: 'fail',
      code: 'declined_code',
      message: 'declined happened',
    });
  });

  it('surely not executed, authorization with another eligible PSP: fails over', () => {
    expect(nextStep(input({ failoverTarget: 'adyen' }))).toEqual({ kind: 'failover', provider: 'adyen' });
    // The open breaker refused the call: nothing was sent, so failing over is as safe.
    expect(nextStep(input({ failure: failure('breaker_open'), failoverTarget: 'adyen' }))).toEqual({
      kind: 'failover',
      provider: 'adyen',
    });
  });

  it('never fails over once a call of the attempt may have run, nor for captures, refunds and cancels', () => {
    expect(nextStep(input({ failoverTarget: 'adyen', maybeExecuted: true }))).toMatchObject({
      kind: 'retry',
    });
    for (const operation of ['capture', 'refund', 'cancel'] as const) {
      expect(nextStep(input({ operation, failoverTarget: 'adyen' }))).toMatchObject({ kind: 'retry' });
    }
  });

  it('surely not executed without a failover target: retried on the same PSP, then failed', () => {
    expect(nextStep(input({ tryNo: 1 }))).toEqual({ kind: 'retry', delayMs: 75 });
    expect(nextStep(input({ tryNo: 2 }))).toEqual({ kind: 'retry', delayMs: 150 });
    expect(nextStep(input({ tryNo: 3 }))).toEqual({
      kind: 'fail',
      code: 'not_executed_code',
      message: 'not_executed happened',
    });
  });

  it('not executed and not retryable (the PSP cannot take the request as is): fails at once unless another PSP can', () => {
    expect(nextStep(input({ failure: failure('not_executed', false) }))).toMatchObject({ kind: 'fail' });
    expect(
      nextStep(input({ failure: failure('not_executed', false), failoverTarget: 'adyen' })),
    ).toMatchObject({ kind: 'failover' });
  });

  it('gives up on not-executed calls as unknown, not failed, when an earlier call may have run', () => {
    expect(nextStep(input({ tryNo: 3, maybeExecuted: true }))).toEqual({ kind: 'unknown', delayMs: 9_000 });
  });

  it('waits at least until the breaker lets a probe through', () => {
    expect(nextStep(input({ failure: failure('breaker_open'), breakerWaitMs: 700 }))).toEqual({
      kind: 'retry',
      delayMs: 700,
    });
  });

  it('indeterminate: retried only on the same PSP (same key), then unknown', () => {
    const indeterminate = failure('indeterminate');
    expect(nextStep(input({ failure: indeterminate, failoverTarget: 'adyen', maybeExecuted: true }))).toEqual(
      { kind: 'retry', delayMs: 75 },
    );
    expect(nextStep(input({ failure: indeterminate, tryNo: 2, maybeExecuted: true }))).toEqual({
      kind: 'unknown',
      delayMs: 9_000,
    });
  });

  it('an unknown attempt stays unknown whatever a replay fails with', () => {
    for (const errorClass of ['declined', 'not_executed', 'indeterminate', 'breaker_open'] as const) {
      expect(
        nextStep(
          input({
            unknown: true,
            maybeExecuted: true,
            failure: failure(errorClass),
            failoverTarget: 'adyen',
          }),
        ),
      ).toMatchObject({ kind: 'unknown' });
    }
  });
});

describe('attempts that may have executed (a lapsed claim, an indeterminate call), every combination', () => {
  const errorClasses = ['declined', 'not_executed', 'indeterminate', 'breaker_open'] as const;
  const combinations = OPERATIONS.flatMap((operation) =>
    errorClasses.flatMap((errorClass) =>
      [true, false].flatMap((retryable) =>
        [true, false].flatMap((maybeExecuted) =>
          [true, false].flatMap((unknown) =>
            (['adyen', null] as const).flatMap((failoverTarget) =>
              [1, 2, 3, 4].map((tryNo): NextStepInput =>
                input({
                  operation,
                  failure: failure(errorClass, retryable),
                  maybeExecuted,
                  unknown,
                  failoverTarget,
                  tryNo,
                }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  const label = (c: NextStepInput) =>
    `${c.operation} ${c.failure.errorClass}${c.failure.retryable ? '' : ' (not retryable)'} try ${c.tryNo}` +
    `${c.maybeExecuted ? ' maybe executed' : ''}${c.unknown ? ' unknown' : ''}${c.failoverTarget ? ' failover possible' : ''}`;

  it('covers all 512 combinations', () => {
    expect(combinations).toHaveLength(4 * 4 * 2 * 2 * 2 * 2 * 4);
  });

  it('never fails over (a new key) once a call may have run', () => {
    for (const c of combinations.filter((c) => mayHaveExecuted(c.maybeExecuted, c.failure))) {
      expect([label(c), nextStep(c).kind]).not.toEqual([label(c), 'failover']);
    }
  });

  it('never fails an attempt that may have run unless the PSP answered (a decline): it retries or becomes unknown', () => {
    for (const c of combinations.filter(
      (c) => c.maybeExecuted && !c.unknown && c.failure.errorClass !== 'declined',
    )) {
      expect([label(c), ['retry', 'unknown'].includes(nextStep(c).kind)]).toEqual([label(c), true]);
    }
  });

  it('fails over only surely-not-executed authorizations that never may have run, with a target', () => {
    for (const c of combinations) {
      const expected =
        c.operation === 'authorize' &&
        !c.unknown &&
        !c.maybeExecuted &&
        c.failoverTarget !== null &&
        ['not_executed', 'breaker_open'].includes(c.failure.errorClass);
      expect([label(c), nextStep(c).kind === 'failover']).toEqual([label(c), expected]);
    }
  });

  it('a reclaimed (maybe executed) authorization meeting a 429 or an open breaker: same PSP, same key, then unknown', () => {
    for (const errorClass of ['not_executed', 'breaker_open'] as const) {
      const reclaimed = {
        operation: 'authorize' as const,
        failure: failure(errorClass),
        maybeExecuted: true,
        failoverTarget: 'adyen' as const,
      };
      expect(nextStep(input({ ...reclaimed, tryNo: 2 }))).toMatchObject({ kind: 'retry' });
      expect(nextStep(input({ ...reclaimed, tryNo: 3 }))).toMatchObject({ kind: 'unknown' });
      // A request the PSP cannot take as is: still unknown, since the earlier call may have charged.
      expect(nextStep(input({ ...reclaimed, failure: failure(errorClass, false) }))).toMatchObject({
        kind: 'unknown',
      });
    }
  });

  it('an indeterminate failure makes the attempt maybe executed; a surely-not-executed one never clears it', () => {
    expect(mayHaveExecuted(false, failure('indeterminate'))).toBe(true);
    expect(mayHaveExecuted(false, failure('not_executed'))).toBe(false);
    expect(mayHaveExecuted(false, failure('breaker_open'))).toBe(false);
    expect(mayHaveExecuted(false, failure('declined'))).toBe(false);
    for (const errorClass of errorClasses) expect(mayHaveExecuted(true, failure(errorClass))).toBe(true);
  });
});
