import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { ApiKeyHasher, generateApiKey } from '../api-keys/api-key';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { OutboxWriter } from '@payflow/platform/outbox';
import { MerchantAuthenticator } from '../auth/merchant-authenticator';
import { normalizeFeeFixed, scheduleFromRequest } from '../merchants/fee-schedule';
import { Merchant, MerchantObject, toMerchantObject } from '../merchants/merchant';
import { merchantEvent } from '../merchants/merchant-events';
import { MerchantsRepository } from '../merchants/merchants.repository';
import { newApiKeyId, newMerchantId } from '../merchants/random-id';
import { AuditLog } from './audit-log';
import type { CreateMerchantRequest } from './create-merchant.request';
import type { UpdateMerchantRequest } from './update-merchant.request';

export interface Actor {
  actor: string;
  requestId?: string;
  correlationId?: string;
}

/** The merchant after `request`: the fields given replace the current ones (`fee_fixed: null` is the default). */
export function applyMerchantUpdate(current: Merchant, request: UpdateMerchantRequest): Merchant {
  return {
    ...current,
    name: request.name ?? current.name,
    fee_bps: request.fee_bps ?? current.fee_bps,
    fee_fixed:
      request.fee_fixed === undefined
        ? current.fee_fixed
        : request.fee_fixed === null
          ? null
          : normalizeFeeFixed(request.fee_fixed),
  };
}

/** Which of name and fee schedule differ, with their values before and after (for the audit log). */
export function merchantChanges(
  before: Merchant,
  after: Merchant,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.name !== after.name) changes['name'] = { from: before.name, to: after.name };
  if (before.fee_bps !== after.fee_bps) changes['fee_bps'] = { from: before.fee_bps, to: after.fee_bps };
  const feeFixed = (m: Merchant) =>
    m.fee_fixed === null ? null : JSON.stringify(normalizeFeeFixed(m.fee_fixed));
  if (feeFixed(before) !== feeFixed(after))
    changes['fee_fixed'] = { from: before.fee_fixed, to: after.fee_fixed };
  return changes;
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
    private readonly outbox: OutboxWriter,
    private readonly authenticator: MerchantAuthenticator,
  ) {}

  /**
   * The merchant, its first API key, the audit entry and `merchant.created` (version 1), in one
   * transaction. The key is returned once.
   */
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
      await this.outbox.append(
        tx,
        merchantEvent('merchant.created', merchant, 1, {
          occurredAt: now,
          correlationId: by.correlationId,
          causationId: by.requestId,
        }),
      );
    });
    return { ...toMerchantObject(merchant), api_key: key };
  }

  /**
   * Changes the name or the fee schedule: the row (version + 1), the audit entry and
   * `merchant.updated` in one transaction, under the merchant's row lock so versions never race.
   * A request that changes nothing writes only its audit entry (no new version, no event). A merchant
   * not announced yet (created before the merchant events) gets its `merchant.created` first.
   */
  async update(id: string, request: UpdateMerchantRequest, by: Actor): Promise<MerchantObject> {
    const now = this.clock.now();
    const updated = await inTransaction(this.dataSource, async (tx) => {
      const current = await this.merchants.lockById(tx, id);
      if (!current) throw ApiError.missing('merchant', id);
      const { version, announced_version: announced, ...before } = current;
      const after = applyMerchantUpdate(before, request);
      const changes = merchantChanges(before, after);
      const changed = Object.keys(changes).length > 0;
      const context = { occurredAt: now, correlationId: by.correlationId, causationId: by.requestId };
      if (changed) {
        if (announced === 0) {
          await this.outbox.append(tx, merchantEvent('merchant.created', before, version, context));
        }
        await this.merchants.update(tx, after, version + 1, now);
        await this.outbox.append(tx, merchantEvent('merchant.updated', after, version + 1, context));
      }
      await this.audit.record(
        {
          action: 'merchant.updated',
          actor: by.actor,
          target: id,
          details: { changes, version: changed ? version + 1 : version },
          requestId: by.requestId,
        },
        tx,
      );
      return after;
    });
    // This replica authenticates with the new schedule at once; others within MERCHANT_CACHE_TTL_MS.
    this.authenticator.forgetAll();
    return toMerchantObject(updated);
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
