import { DEFAULT_RETRY_SCHEDULE_DAYS, DUNNING_MAX_DAY, DUNNING_MAX_RETRIES } from '@payflow/api';
import { DEFAULT_DUNNING_SETTINGS, lastScheduleDay, validateDunningSettings } from './dunning-settings';

const valid = { retry_schedule_days: [1, 3, 5, 7, 10, 12, 14], final_action: 'cancel', mark_uncollectible: false };

describe('DEFAULT_DUNNING_SETTINGS', () => {
  it('is API.md’s default: days 1, 3, 5, 7, 10, 12 and 14, cancel, not uncollectible', () => {
    expect(DEFAULT_DUNNING_SETTINGS).toEqual({ retry_schedule_days: [1, 3, 5, 7, 10, 12, 14], final_action: 'cancel', mark_uncollectible: false });
    expect(DEFAULT_DUNNING_SETTINGS.retry_schedule_days).toEqual([...DEFAULT_RETRY_SCHEDULE_DAYS]);
  });

  it('cannot be changed by a caller', () => {
    expect(() => DEFAULT_DUNNING_SETTINGS.retry_schedule_days.push(20)).toThrow(TypeError);
    expect(() => Object.assign(DEFAULT_DUNNING_SETTINGS, { final_action: 'mark_unpaid' })).toThrow(TypeError);
  });

  it('passes its own validation', () => {
    expect(validateDunningSettings(DEFAULT_DUNNING_SETTINGS)).toEqual({ ok: true, settings: DEFAULT_DUNNING_SETTINGS });
  });
});

describe('validateDunningSettings', () => {
  it.each([
    [{ ...valid, final_action: 'mark_unpaid', mark_uncollectible: true }],
    [{ ...valid, final_action: 'leave_past_due' }],
    [{ ...valid, retry_schedule_days: [60] }],
    [{ ...valid, retry_schedule_days: [1] }],
    [{ ...valid, retry_schedule_days: Array.from({ length: DUNNING_MAX_RETRIES }, (_, i) => (i + 1) * 5) }],
  ])('accepts %j', (input) => {
    expect(validateDunningSettings(input)).toEqual({ ok: true, settings: input });
  });

  it.each([
    ['not an object', null, 'retry_schedule_days', /object/],
    ['an array', [], 'retry_schedule_days', /object/],
    ['days missing', { ...valid, retry_schedule_days: undefined }, 'retry_schedule_days', /array/],
    ['days not an array', { ...valid, retry_schedule_days: '1,3' }, 'retry_schedule_days', /array/],
    ['no day', { ...valid, retry_schedule_days: [] }, 'retry_schedule_days', /at least 1/],
    ['13 days', { ...valid, retry_schedule_days: Array.from({ length: 13 }, (_, i) => i + 1) }, 'retry_schedule_days', /at most 12/],
    ['a fractional day', { ...valid, retry_schedule_days: [1, 2.5] }, 'retry_schedule_days', /whole days/],
    ['a day given as text', { ...valid, retry_schedule_days: ['1'] }, 'retry_schedule_days', /whole days/],
    ['day 0', { ...valid, retry_schedule_days: [0, 3] }, 'retry_schedule_days', /between 1 and 60/],
    ['day 61', { ...valid, retry_schedule_days: [1, DUNNING_MAX_DAY + 1] }, 'retry_schedule_days', /between 1 and 60/],
    ['a negative day', { ...valid, retry_schedule_days: [-1] }, 'retry_schedule_days', /between 1 and 60/],
    ['days out of order', { ...valid, retry_schedule_days: [3, 1] }, 'retry_schedule_days', /strictly ascending/],
    ['the same day twice', { ...valid, retry_schedule_days: [1, 3, 3] }, 'retry_schedule_days', /strictly ascending/],
    ['an unknown final action', { ...valid, final_action: 'delete' }, 'final_action', /cancel, mark_unpaid, leave_past_due/],
    ['no final action', { ...valid, final_action: undefined }, 'final_action', /one of/],
    ['mark_uncollectible as text', { ...valid, mark_uncollectible: 'true' }, 'mark_uncollectible', /boolean/],
    ['mark_uncollectible missing', { ...valid, mark_uncollectible: undefined }, 'mark_uncollectible', /boolean/],
  ])('refuses %s, naming the field', (_, input, field, message) => {
    const result = validateDunningSettings(input);
    expect(result).toMatchObject({ ok: false, field });
    expect(result.ok ? '' : result.message).toMatch(message);
  });

  it('returns a copy of the days, not the caller’s array', () => {
    const input = { ...valid, retry_schedule_days: [2, 4] };
    const result = validateDunningSettings(input);
    input.retry_schedule_days.push(6);
    expect(result.ok && result.settings.retry_schedule_days).toEqual([2, 4]);
  });

  it('agrees with the public API’s limits', () => {
    expect(DUNNING_MAX_DAY).toBe(60);
    expect(DUNNING_MAX_RETRIES).toBe(12);
  });
});

describe('lastScheduleDay', () => {
  it('is the schedule’s last day', () => {
    expect(lastScheduleDay(DEFAULT_DUNNING_SETTINGS)).toBe(14);
    expect(lastScheduleDay({ ...DEFAULT_DUNNING_SETTINGS, retry_schedule_days: [5, 40] })).toBe(40);
    expect(lastScheduleDay({ ...DEFAULT_DUNNING_SETTINGS, retry_schedule_days: [] })).toBe(0);
  });
});
