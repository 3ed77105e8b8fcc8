import {
  FaultSpecError,
  NO_FAULTS,
  describeFaultSpec,
  faultSpecFromObject,
  parseFaultSpec,
} from './fault-spec';

describe('fault spec', () => {
  it('parses the environment form', () => {
    expect(
      parseFaultSpec('latency_ms=20, error_5xx_executed=0.1,timeout=0.05,limit=3,webhook_duplicate=0.5'),
    ).toEqual({
      ...NO_FAULTS,
      latencyMs: 20,
      error5xxExecuted: 0.1,
      timeout: 0.05,
      limit: 3,
      webhookDuplicate: 0.5,
    });
    expect(parseFaultSpec('')).toEqual(NO_FAULTS);
  });

  it('parses the issue-10 keys', () => {
    expect(
      parseFaultSpec(
        'error_5xx_saved=0.1,reset_after_execution=0.2,capture_failed=0.3,refund_failed=0.4,refund_reversed=0.5,webhook_drop=0.6,webhook_late=0.7,webhook_late_ms=1500',
      ),
    ).toEqual({
      ...NO_FAULTS,
      error5xxSaved: 0.1,
      resetAfterExecution: 0.2,
      captureFailed: 0.3,
      refundFailed: 0.4,
      refundReversed: 0.5,
      webhookDrop: 0.6,
      webhookLate: 0.7,
      webhookLateMs: 1500,
    });
    expect(describeFaultSpec(parseFaultSpec('error_5xx_saved=0.1,webhook_late_ms=5'))).toEqual({
      error_5xx_saved: 0.1,
      webhook_late_ms: 5,
    });
  });

  it('takes the admin API’s JSON form, numbers or numeric strings', () => {
    expect(faultSpecFromObject({ reset: 1, latency_jitter_ms: '5', seed: -4 })).toMatchObject({
      reset: 1,
      latencyJitterMs: 5,
      seed: -4,
    });
  });

  it.each([
    ['unknown=1', /unknown fault setting "unknown"/],
    ['timeout=2', /timeout must be a probability/],
    ['latency_ms=-1', /latency_ms must be whole milliseconds/],
    ['latency_ms=1.5', /latency_ms must be whole milliseconds/],
    ['timeout', /is not key=value/],
    ['timeout=0.5,timeout=0.1', /set twice/],
    ['reset=0.6,rate_limit=0.6', /sum to at most 1/],
    ['error_5xx_saved=0.5,reset_after_execution=0.6', /sum to at most 1/],
    ['refund_failed=0.6,refund_reversed=0.6', /refund_failed and refund_reversed must sum to at most 1/],
    ['webhook_drop=1.5', /webhook_drop must be a probability/],
    ['webhook_late_ms=0.5', /webhook_late_ms must be whole milliseconds/],
    ['limit=abc', /limit must be a number/],
  ])('rejects %s naming the problem', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it('describes only what is set, in the environment’s keys', () => {
    expect(describeFaultSpec(parseFaultSpec('latency_ms=5,reset=0.25'))).toEqual({
      latency_ms: 5,
      reset: 0.25,
    });
    expect(describeFaultSpec(NO_FAULTS)).toEqual({});
  });
});
