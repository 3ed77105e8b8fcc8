import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { ApiKeyHasher, generateApiKey } from '../api-keys/api-key';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { scheduleFromRequest } from '../merchants/fee-schedule';
import { Merchant, MerchantObject, toMerchantObject } from '../merchants/merchant';
import { MerchantsRepository } from '../merchants/merchants.repository';
import { newApiKeyId, newMerchantId } from '../merchants/random-id';
import { AuditLog } from './audit-log';
import type { CreateMerchantRequest } from './create-merchant.request';

export interface Actor {
  actor: string;
  requestId?: string;
}

export type CreatedMerchant = MerchantObject & { api_key: string };

export type MerchantWithKeys = MerchantObject & {
  api_keys: { id: string; prefix: string; created: string; revoked: string | null }[];
};

@Injectable()
export class AdminMerchantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly merchants: MerchantsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly hasher: ApiKeyHasher,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** The merchant, its first API key and the audit entry, in one transaction. The key is returned once. */
  async create(request: CreateMerchantRequest, by: Actor): Promise<CreatedMerchant> {
    const now = this.clock.now();
    const merchant: Merchant = {
      id: newMerchantId(),
      name: request.name,
      ...scheduleFromRequest(request),
      created: now,
    };
    const { key, prefix } = generateApiKey();
    await inTransaction(this.dataSource, async (tx) => {
      await this.merchants.insert(tx, merchant);
      await this.apiKeys.insert(tx, {
        id: newApiKeyId(),
        merchant_id: merchant.id,
        key_hash: this.hasher.hash(key),
        prefix,
        created: now,
      });
      await this.audit.record(
        {
          action: 'merchant.created',
          actor: by.actor,
          target: merchant.id,
          details: {
            name: merchant.name,
            fee_bps: merchant.fee_bps,
            fee_fixed: merchant.fee_fixed,
            api_key_prefix: prefix,
          },
          requestId: by.requestId,
        },
        tx,
      );
    });
    return { ...toMerchantObject(merchant), api_key: key };
  }

  async retrieve(id: string, by: Actor): Promise<MerchantWithKeys> {
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw ApiError.missing('merchant', id);
    const keys = await this.apiKeys.listForMerchant(id);
    await this.audit.record({
      action: 'merchant.viewed',
      actor: by.actor,
      target: id,
      details: {},
      requestId: by.requestId,
    });
    return {
      ...toMerchantObject(merchant),
      api_keys: keys.map((k) => ({
        id: k.id,
        prefix: k.prefix,
        created: k.created.toISOString(),
        revoked: k.revoked?.toISOString() ?? null,
      })),
    };
  }
}
