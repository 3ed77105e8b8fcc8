import { BrokenCircuitError } from 'cockatiel';
import { PspError } from '@payflow/psp';
import { classifyFailure, nextStep, type CallFailure, type NextStepInput } from './next-step';

const limits = { baseDelayMs: 100, maxDelayMs: 1_000, notExecutedMaxTries: 3, indeterminateMaxTries: 2, unknownRetryIntervalMs: 10_000 };

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
  it('takes the connector\'s class, and reads an open breaker and unexplained errors apart', () => {
    const refused = new PspError({ provider: 'stripe', errorClass: 'not_executed', retryable: true, code: 'psp_unreachable', message: 'refused' });
    expect(classifyFailure(refused, 'stripe')).toEqual({ errorClass: 'not_executed', retryable: true, code: 'psp_unreachable', message: 'refused' });
    expect(classifyFailure(new BrokenCircuitError(), 'adyen')).toMatchObject({ errorClass: 'breaker_open', retryable: true });
    // Something unexplained may have been sent: never treated as surely not executed.
    expect(classifyFailure(new TypeError('boom'), 'stripe')).toMatchObject({ errorClass: 'indeterminate', code: 'internal_error' });
  });
});

describe('next step after a failed call', () => {
  it('declined: final for the attempt', () => {
    expect(nextStep(input({ failure: failure('declined', false) }))).toEqual({ kind: 'fail', code: 'declined_code', message: 'declined happened' });
  });

  it('surely not executed, authorization with another eligible PSP: fails over', () => {
    expect(nextStep(input({ failoverTarget: 'adyen' }))).toEqual({ kind: 'failover', provider: 'adyen' });
    // The open breaker refused the call: nothing was sent, so failing over is as safe.
    expect(nextStep(input({ failure: failure('breaker_open'), failoverTarget: 'adyen' }))).toEqual({ kind: 'failover', provider: 'adyen' });
  });

  it('never fails over once a call of the attempt may have run, nor for captures, refunds and cancels', () => {
    expect(nextStep(input({ failoverTarget: 'adyen', maybeExecuted: true }))).toMatchObject({ kind: 'retry' });
    for (const operation of ['capture', 'refund', 'cancel'] as const) {
      expect(nextStep(input({ operation, failoverTarget: 'adyen' }))).toMatchObject({ kind: 'retry' });
    }
  });

  it('surely not executed without a failover target: retried on the same PSP, then failed', () => {
    expect(nextStep(input({ tryNo: 1 }))).toEqual({ kind: 'retry', delayMs: 75 });
    expect(nextStep(input({ tryNo: 2 }))).toEqual({ kind: 'retry', delayMs: 150 });
    expect(nextStep(input({ tryNo: 3 }))).toEqual({ kind: 'fail', code: 'not_executed_code', message: 'not_executed happened' });
  });

  it('not executed and not retryable (the PSP cannot take the request as is): fails at once unless another PSP can', () => {
    expect(nextStep(input({ failure: failure('not_executed', false) }))).toMatchObject({ kind: 'fail' });
    expect(nextStep(input({ failure: failure('not_executed', false), failoverTarget: 'adyen' }))).toMatchObject({ kind: 'failover' });
  });

  it('gives up on not-executed calls as unknown, not failed, when an earlier call may have run', () => {
    expect(nextStep(input({ tryNo: 3, maybeExecuted: true }))).toEqual({ kind: 'unknown', delayMs: 9_000 });
  });

  it('waits at least until the breaker lets a probe through', () => {
    expect(nextStep(input({ failure: failure('breaker_open'), breakerWaitMs: 700 }))).toEqual({ kind: 'retry', delayMs: 700 });
  });

  it('indeterminate: retried only on the same PSP (same key), then unknown', () => {
    const indeterminate = failure('indeterminate');
    expect(nextStep(input({ failure: indeterminate, failoverTarget: 'adyen', maybeExecuted: true }))).toEqual({ kind: 'retry', delayMs: 75 });
    expect(nextStep(input({ failure: indeterminate, tryNo: 2, maybeExecuted: true }))).toEqual({ kind: 'unknown', delayMs: 9_000 });
  });

  it('an unknown attempt stays unknown whatever a replay fails with', () => {
    for (const errorClass of ['declined', 'not_executed', 'indeterminate', 'breaker_open'] as const) {
      expect(nextStep(input({ unknown: true, maybeExecuted: true, failure: failure(errorClass), failoverTarget: 'adyen' }))).toMatchObject({ kind: 'unknown' });
    }
  });
});
