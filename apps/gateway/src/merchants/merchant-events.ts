import {
  CURRENCY_CODES,
  TOPICS,
  createEvent,
  currencyExponent,
  validateEvent,
  type EventDataOf,
} from '@payflow/contracts';
import type { OutgoingEvent } from '@payflow/platform/outbox';
import { DEFAULT_FIXED_FEE_MINOR, normalizeFeeFixed, type FeeSchedule } from './fee-schedule';
import type { Merchant } from './merchant';

export type MerchantEventType = 'merchant.created' | 'merchant.updated';

/**
 * The fixed fees as the events state them: a currency absent has 0 (the contract). A merchant on
 * the default schedule (`fee_fixed` null) therefore gets the default spelt out — 30 in every
 * currency of exponent 2 of the currency table — so intents never needs the gateway's default.
 */
export function announcedFeeFixed(schedule: FeeSchedule): Record<string, number> {
  if (schedule.fee_fixed !== null) return normalizeFeeFixed(schedule.fee_fixed);
  return Object.fromEntries(
    CURRENCY_CODES.filter((code) => currencyExponent(code) === 2).map((code) => [
      code,
      DEFAULT_FIXED_FEE_MINOR,
    ]),
  );
}

export interface MerchantEventContext {
  occurredAt: Date;
  correlationId?: string | null;
  causationId?: string | null;
}

/**
 * `merchant.created` / `merchant.updated` for the merchant as of `version`, keyed by the merchant id
 * on `payflow.gateway.v1`: its id, name and fee schedule, never its keys. Validated against the
 * contract before it reaches the outbox, so a bad event fails the change instead of a consumer.
 */
export function merchantEvent(
  type: MerchantEventType,
  merchant: Merchant,
  version: number,
  context: MerchantEventContext,
): OutgoingEvent {
  const data: EventDataOf<'merchant.created'> = {
    id: merchant.id,
    name: merchant.name,
    fee_bps: merchant.fee_bps,
    fee_fixed: announcedFeeFixed(merchant),
    version,
  };
  const event = createEvent({
    type,
    source: 'gateway',
    aggregate_type: 'merchant',
    aggregate_id: merchant.id,
    aggregate_version: version,
    merchant_id: merchant.id,
    data,
    occurred_at: context.occurredAt.toISOString(),
    correlation_id: context.correlationId ?? null,
    causation_id: context.causationId ?? null,
  });
  const checked = validateEvent(event);
  if (!checked.ok)
    throw new Error(`${type} for ${merchant.id} does not validate: ${checked.errors.join('; ')}`);
  return { topic: TOPICS.gateway, key: merchant.id, event };
}
