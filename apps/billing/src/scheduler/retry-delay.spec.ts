import { WORK_RETRY_BASE_MS, WORK_RETRY_MAX_MS, workRetryDelayMs } from './retry-delay';

describe('workRetryDelayMs', () => {
  it('doubles from the base, between half and all of the ceiling', () => {
    expect(workRetryDelayMs(1, () => 0)).toBe(WORK_RETRY_BASE_MS / 2);
    expect(workRetryDelayMs(1, () => 1)).toBe(WORK_RETRY_BASE_MS);
    expect(workRetryDelayMs(2, () => 1)).toBe(2 * WORK_RETRY_BASE_MS);
    expect(workRetryDelayMs(4, () => 0)).toBe(4 * WORK_RETRY_BASE_MS);
  });

  it('is capped however many times the row failed', () => {
    expect(workRetryDelayMs(30, () => 1)).toBe(WORK_RETRY_MAX_MS);
    expect(workRetryDelayMs(10_000, () => 1)).toBe(WORK_RETRY_MAX_MS);
    expect(workRetryDelayMs(10_000, () => 0)).toBe(WORK_RETRY_MAX_MS / 2);
  });

  it('refuses a non-positive attempt count', () => {
    expect(() => workRetryDelayMs(0)).toThrow(RangeError);
    expect(() => workRetryDelayMs(1.5)).toThrow(RangeError);
  });
});
