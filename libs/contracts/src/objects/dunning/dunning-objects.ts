import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import { IsNullable } from '../../validation/nullable';
import { IsPrefixedId } from '../../validation/is-prefixed-id';
import { IsTimestamp } from '../../validation/is-timestamp';

/** How a decline is retried (DESIGN.md "Collections and dunning"). */
export const DECLINE_CLASSES = ['hard', 'soft', 'technical'] as const;
export type DeclineClass = (typeof DECLINE_CLASSES)[number];

/** What dunning decided after a failed attempt (`dunning.decided`), `closed` once the case ends. */
export const DUNNING_DECISIONS = ['retry_scheduled', 'wait_for_payment_method', 'exhausted', 'closed'] as const;
export type DunningDecision = (typeof DUNNING_DECISIONS)[number];

/** The decision an attempt shows in `GET /v1/invoices/{id}/payment_attempts` (API.md). */
export const PAYMENT_ATTEMPT_DECISIONS = ['retry_scheduled', 'wait_for_payment_method', 'paid', 'exhausted'] as const;
export type PaymentAttemptDecision = (typeof PAYMENT_ATTEMPT_DECISIONS)[number];

/** What billing does when a case is exhausted (API.md "Dunning settings"). */
export const DUNNING_FINAL_ACTIONS = ['cancel', 'mark_unpaid', 'leave_past_due'] as const;
export type DunningFinalAction = (typeof DUNNING_FINAL_ACTIONS)[number];

/** `GET /v1/dunning_settings` (API.md). */
export class DunningSettingsObject {
  @IsIn(['dunning_settings'])
  object!: 'dunning_settings';

  /** Days after the first failure, ascending, each 1…60, at most 12. */
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  retry_schedule_days!: number[];

  @IsIn(DUNNING_FINAL_ACTIONS)
  final_action!: DunningFinalAction;

  @IsBoolean()
  mark_uncollectible!: boolean;
}

/** One entry of `GET /v1/invoices/{id}/payment_attempts` (API.md). */
export class PaymentAttemptObject {
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsNullable()
  @IsPrefixedId('pi')
  payment_intent!: string | null;

  @IsIn(['failed', 'succeeded'])
  status!: 'failed' | 'succeeded';

  @IsNullable()
  @IsString()
  code!: string | null;

  @IsNullable()
  @IsString()
  decline_code!: string | null;

  @IsNullable()
  @IsString()
  network!: string | null;

  @IsNullable()
  @IsString()
  advice_code!: string | null;

  @IsNullable()
  @IsIn(PAYMENT_ATTEMPT_DECISIONS)
  decision!: PaymentAttemptDecision | null;

  @IsNullable()
  @IsString()
  @IsNotEmpty()
  reason!: string | null;

  /** When the attempt's result happened, on the customer's clock. */
  @IsTimestamp()
  at!: string;
}
