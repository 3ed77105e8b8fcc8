import { HttpStatus, Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { ApiError } from '@payflow/platform/http';
import { ApiKeyHasher, looksLikeApiKey } from '../api-keys/api-key';
import { GatewayConfig } from '../config/gateway.config';
import type { Merchant } from '../merchants/merchant';
import { MerchantsRepository } from '../merchants/merchants.repository';
import { bearerToken } from './bearer-token';
import { TtlCache } from './ttl-cache';

/** Bounds the cache: beyond this many distinct keys the oldest are dropped. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Finds the merchant of an API key: HMAC of the key, looked up in Postgres, and cached in memory
 * for MERCHANT_CACHE_TTL_MS (unknown keys too), so authentication costs one HMAC on most requests.
 * The cost of the cache: a revoked key keeps working for up to that long.
 */
@Injectable()
export class MerchantAuthenticator {
  private readonly cache: TtlCache<string, Merchant | null>;

  constructor(
    private readonly merchants: MerchantsRepository,
    private readonly hasher: ApiKeyHasher,
    clock: Clock,
    config: GatewayConfig,
  ) {
    this.cache = new TtlCache(clock, config.MERCHANT_CACHE_TTL_MS, MAX_CACHED_KEYS);
  }

  /** Drops every cached key, so the next requests read merchants (and their fee schedules) again. */
  forgetAll(): void {
    this.cache.clear();
  }

  async authenticate(authorization: string | undefined): Promise<Merchant> {
    const key = bearerToken(authorization);
    if (key === undefined) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'authentication_error',
        'api_key_missing',
        'You did not provide an API key: send it as `Authorization: Bearer sk_test_…`',
      );
    }
    if (!looksLikeApiKey(key)) throw ApiError.unauthenticated();
    const keyHash = this.hasher.hash(key);
    let merchant = this.cache.get(keyHash);
    if (merchant === undefined) {
      merchant = await this.merchants.findByApiKeyHash(keyHash);
      this.cache.set(keyHash, merchant);
    }
    if (!merchant) throw ApiError.unauthenticated();
    return merchant;
  }
}
