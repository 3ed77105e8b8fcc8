import {
  DEFAULT_RETRY_SCHEDULE_DAYS,
  DUNNING_FINAL_ACTIONS,
  DUNNING_MAX_DAY,
  DUNNING_MAX_RETRIES,
} from '@payflow/api';
import type { DunningFinalAction } from '@payflow/contracts';

/**
 * A merchant's dunning settings (API.md "Dunning settings"). The limits are the public API's
 * (libs/api `dunning-settings.requests.ts`), so the edge and this service refuse the same input.
 */
export interface DunningSettings {
  /** Days after the schedule's anchor (the first failure), strictly ascending. */
  retry_schedule_days: number[];
  final_action: DunningFinalAction;
  mark_uncollectible: boolean;
}

/** Frozen, array included: a caller that mutates the defaults would change every merchant's. */
export const DEFAULT_DUNNING_SETTINGS: DunningSettings = Object.freeze({
  retry_schedule_days: Object.freeze([...DEFAULT_RETRY_SCHEDULE_DAYS]) as number[],
  final_action: 'cancel',
  mark_uncollectible: false,
}) as DunningSettings;

export type DunningSettingsValidation =
  | { ok: true; settings: DunningSettings }
  | { ok: false; field: keyof DunningSettings; message: string };

const invalid = (field: keyof DunningSettings, message: string): DunningSettingsValidation => ({ ok: false, field, message });

/**
 * Checks complete settings (after a partial update is merged onto the stored ones) and names the
 * first bad field, so a 400 can say which. Returns a fresh copy, never the caller's array.
 */
export function validateDunningSettings(input: unknown): DunningSettingsValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid('retry_schedule_days', 'dunning settings must be an object');
  }
  const { retry_schedule_days: days, final_action, mark_uncollectible } = input as Record<string, unknown>;
  if (!Array.isArray(days)) return invalid('retry_schedule_days', 'retry_schedule_days must be an array of days');
  if (days.length < 1) return invalid('retry_schedule_days', 'retry_schedule_days must have at least 1 day');
  if (days.length > DUNNING_MAX_RETRIES) {
    return invalid('retry_schedule_days', `retry_schedule_days must have at most ${DUNNING_MAX_RETRIES} days`);
  }
  for (const [i, day] of days.entries()) {
    if (typeof day !== 'number' || !Number.isInteger(day)) {
      return invalid('retry_schedule_days', 'retry_schedule_days must contain whole days');
    }
    if (day < 1 || day > DUNNING_MAX_DAY) {
      return invalid('retry_schedule_days', `retry_schedule_days days must be between 1 and ${DUNNING_MAX_DAY}`);
    }
    // Two retries on one day, or days out of order, is a mistake to refuse, not to sort.
    if (i > 0 && day <= (days[i - 1] as number)) {
      return invalid('retry_schedule_days', 'retry_schedule_days must be strictly ascending');
    }
  }
  if (typeof final_action !== 'string' || !(DUNNING_FINAL_ACTIONS as readonly string[]).includes(final_action)) {
    return invalid('final_action', `final_action must be one of ${DUNNING_FINAL_ACTIONS.join(', ')}`);
  }
  if (typeof mark_uncollectible !== 'boolean') return invalid('mark_uncollectible', 'mark_uncollectible must be a boolean');
  return {
    ok: true,
    settings: { retry_schedule_days: [...(days as number[])], final_action: final_action as DunningFinalAction, mark_uncollectible },
  };
}

/** The schedule's last day (0 for an empty schedule, which validation refuses anyway). */
export function lastScheduleDay(settings: DunningSettings): number {
  return settings.retry_schedule_days.length === 0 ? 0 : Math.max(...settings.retry_schedule_days);
}
