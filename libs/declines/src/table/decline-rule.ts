import type { DeclineClass } from '@payflow/contracts';

/** How one code of the decline table is retried. */
export interface DeclineRule {
  readonly class: DeclineClass;
  /** A minimum wait before the next try, in seconds (Mastercard advice codes 24–30 only). */
  readonly min_delay_s?: number;
}

/** One section of the table: a vocabulary's codes (normalized as `classify.ts` reads them) → rule. */
export type DeclineSection = Readonly<Record<string, DeclineRule>>;

// Short builders keep the sections one line per code, each with its source beside it.
export const hard: DeclineRule = Object.freeze({ class: 'hard' });
export const soft: DeclineRule = Object.freeze({ class: 'soft' });
export const technical: DeclineRule = Object.freeze({ class: 'technical' });

export const HOUR_S = 3_600;
export const DAY_S = 24 * HOUR_S;

/** A soft decline that must not be retried before `seconds` have passed. */
export function softAfter(seconds: number): DeclineRule {
  return Object.freeze({ class: 'soft', min_delay_s: seconds });
}
