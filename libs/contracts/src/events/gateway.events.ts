import { IsInt, IsNotEmpty, IsObject, IsString, Max, Min } from 'class-validator';
import { IsPrefixedId } from '../validation/is-prefixed-id';

/**
 * Events published by the gateway on `payflow.gateway.v1`: merchants and their fee schedules (never
 * their keys). Intents keeps its own projection of fee schedules from them, for payments that no
 * merchant request carries a schedule for (billing's). Keyed by the merchant id.
 */
export const GATEWAY_EVENT_TYPES = ['merchant.created', 'merchant.updated'] as const;

export abstract class MerchantEventData {
  @IsPrefixedId('mer')
  id!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsInt()
  @Min(0)
  @Max(10_000)
  fee_bps!: number;

  /** Fixed fee per currency, in that currency's minor units; a currency absent here has 0. */
  @IsObject()
  fee_fixed!: Record<string, number>;

  /** Monotonic per merchant, so a projection applies only newer schedules. */
  @IsInt()
  @Min(1)
  version!: number;
}

export class MerchantCreatedData extends MerchantEventData {}
export class MerchantUpdatedData extends MerchantEventData {}
