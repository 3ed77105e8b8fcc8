import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UpdateDunningSettingsRequest } from '@payflow/api';
import type { DunningSettingsObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { DEFAULT_DUNNING_SETTINGS, type DunningSettings, validateDunningSettings } from '../decisions';
import type { RequestMeta } from '../http/request-meta';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';

/**
 * A merchant's dunning settings (API.md "Dunning settings"): the defaults until it changes them
 * (no row), then its row. Decisions read them when they are made, so a change applies to the next
 * decision of every case, and `dunning.exhausted` carries the final action in force then.
 */
@Injectable()
export class DunningSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotent: IdempotentTransaction,
    private readonly clock: Clock,
  ) {}

  /** The settings a decision for this merchant uses now. */
  async settingsOf(db: Queryable, merchantId: string): Promise<DunningSettings> {
    const rows = rowsOf<DunningSettings>(
      await db.query(
        `SELECT retry_schedule_days, final_action, mark_uncollectible FROM dunning_settings WHERE merchant_id = $1`,
        [merchantId],
      ),
    );
    const row = rows[0];
    if (!row) return { ...DEFAULT_DUNNING_SETTINGS, retry_schedule_days: [...DEFAULT_DUNNING_SETTINGS.retry_schedule_days] };
    return { retry_schedule_days: row.retry_schedule_days.map(Number), final_action: row.final_action, mark_uncollectible: row.mark_uncollectible };
  }

  async get(merchantId: string): Promise<DunningSettingsObject> {
    return objectOf(await this.settingsOf(this.dataSource, merchantId));
  }

  /**
   * Changes the fields given (the DTO checked each); the merged settings are checked again as a
   * whole by the rules' own validation, so a 400 names the field and nothing is written.
   */
  update(meta: RequestMeta, request: UpdateDunningSettingsRequest): Promise<ApiAnswer<DunningSettingsObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const current = await this.settingsOf(tx, meta.merchantId);
      const merged = {
        retry_schedule_days: request.retry_schedule_days ?? current.retry_schedule_days,
        final_action: request.final_action ?? current.final_action,
        mark_uncollectible: request.mark_uncollectible ?? current.mark_uncollectible,
      };
      const checked = validateDunningSettings(merged);
      if (!checked.ok) throw ApiError.invalidParam(checked.field, checked.message);
      const changed = Object.values(request).some((value) => value !== undefined);
      if (changed) {
        const { settings } = checked;
        await tx.query(
          `INSERT INTO dunning_settings (merchant_id, retry_schedule_days, final_action, mark_uncollectible, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (merchant_id) DO UPDATE
             SET retry_schedule_days = EXCLUDED.retry_schedule_days, final_action = EXCLUDED.final_action,
                 mark_uncollectible = EXCLUDED.mark_uncollectible, updated_at = EXCLUDED.updated_at`,
          [meta.merchantId, settings.retry_schedule_days, settings.final_action, settings.mark_uncollectible, this.clock.now()],
        );
      }
      return { statusCode: 200, body: objectOf(checked.settings) };
    });
  }
}

function objectOf(settings: DunningSettings): DunningSettingsObject {
  return {
    object: 'dunning_settings',
    retry_schedule_days: [...settings.retry_schedule_days],
    final_action: settings.final_action,
    mark_uncollectible: settings.mark_uncollectible,
  };
}
