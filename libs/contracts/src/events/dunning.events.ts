import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import {
  DECLINE_CLASSES,
  DUNNING_DECISIONS,
  DUNNING_FINAL_ACTIONS,
  type DeclineClass,
  type DunningDecision,
  type DunningFinalAction,
} from '../objects/dunning/dunning-objects';
import { ClockAwareData } from './billing.events';
import { IsNullable } from '../validation/nullable';
import { IsPrefixedId } from '../validation/is-prefixed-id';
import { IsTimestamp } from '../validation/is-timestamp';

/**
 * Events published by the dunning service on `payflow.dunning.v1` (DESIGN.md, "Event catalogue
 * (billing and dunning)"). Keyed by the customer's test clock id when it has one, else by the
 * invoice's subscription id (else the invoice id): on a clock, every retry dunning issues for a
 * step is on the clock's partition before the step's `dunning.clock_synced`, so billing never sees
 * the sync before the retries it covers.
 */
export const DUNNING_EVENT_TYPES = [
  'dunning.decided',
  'dunning.retry_due',
  'dunning.clock_synced',
  'dunning.exhausted',
  'payment_method.unusable',
] as const;

/** What every event about one invoice's case carries. */
export abstract class DunningCaseEventData extends ClockAwareData {
  @IsPrefixedId('in')
  invoice!: string;

  @IsNullable()
  @IsPrefixedId('sub')
  subscription!: string | null;

  @IsPrefixedId('cus')
  customer!: string;
}

/**
 * `dunning.decided`: one per failed attempt (and `closed` when the case ends): what dunning will do
 * next and why. `due_at` is the retry's instant on the customer's clock (`retry_scheduled`), or
 * the day a case waiting for a new card gives up (`wait_for_payment_method`), else null. Billing's
 * test clock saga stops at `due_at` and waits for a decision on every failure of a step.
 */
export class DunningDecidedData extends DunningCaseEventData {
  /** The attempt decided on (the failed one; for `closed`, the last one). */
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsIn(DUNNING_DECISIONS)
  decision!: DunningDecision;

  @IsNullable()
  @IsTimestamp()
  due_at!: string | null;

  @IsString()
  @IsNotEmpty()
  reason!: string;

  @IsOptional()
  @IsNullable()
  @IsIn(DECLINE_CLASSES)
  classification?: DeclineClass | null;
}

/** `dunning.retry_due`: billing requests `attempt` (the invoice's next one) now, if still open. */
export class DunningRetryDueData extends DunningCaseEventData {
  @IsInt()
  @Min(2)
  attempt!: number;

  @IsString()
  @IsNotEmpty()
  reason!: string;
}

/** `dunning.clock_synced`: dunning has issued every retry due on the clock up to `frozen_time`. */
export class DunningClockSyncedData {
  @IsPrefixedId('clock')
  clock!: string;

  @IsTimestamp()
  frozen_time!: string;
}

/** `dunning.exhausted`: the case gave up; billing applies the merchant's final action. */
export class DunningExhaustedData extends DunningCaseEventData {
  @IsIn(DUNNING_FINAL_ACTIONS)
  final_action!: DunningFinalAction;

  @IsBoolean()
  mark_uncollectible!: boolean;

  @IsString()
  @IsNotEmpty()
  reason!: string;
}

/**
 * `payment_method.unusable`: a hard decline of this card; billing asks no payment on it (renewals
 * included) until the customer's payment method changes.
 */
export class PaymentMethodUnusableData extends ClockAwareData {
  @IsPrefixedId('cus')
  customer!: string;

  @IsString()
  @IsNotEmpty()
  payment_method!: string;

  /** The invoice whose failed attempt showed it. */
  @IsPrefixedId('in')
  invoice!: string;

  /** The decline that made it unusable (e.g. `lost_card`, or `mastercard:03`). */
  @IsString()
  @IsNotEmpty()
  reason!: string;
}
