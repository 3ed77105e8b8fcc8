import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RefundRequest } from '@payflow/api';
import { RefundObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiError } from '@payflow/platform/http';
import { ApiResponse } from '../http/api-response';
import { assertIntentId, newRefundId } from '../http/public-ids';
import { RequestMeta } from '../http/request-meta';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { providerOf } from '../payment-intents/payment-intent.row';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { requestCause } from '../state-machine/cause';
import { refundEvent } from '../state-machine/intent-events';
import { IntentTransitions } from '../state-machine/intent-transitions';
import { refundSnapshot, toRefundObject } from './refund.row';
import { RefundsRepository } from './refunds.repository';

export interface RefundList {
  object: 'list';
  data: RefundObject[];
  has_more: boolean;
}

/**
 * Refunds: objects of their own, several partial ones per captured intent. A new refund is
 * `pending` and reserves its amount in the intent's `amount_refunded` under the intent's row lock,
 * so concurrent refunds can never add up to more than `amount_received`. It answers `200` at once
 * (never `202`): the refund object is the answer, and it settles later through `refund.*` events.
 */
@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly transitions: IntentTransitions,
    private readonly idempotent: IdempotentTransaction,
    private readonly clock: Clock,
  ) {}

  async refund(
    meta: RequestMeta,
    intentId: string,
    request: RefundRequest,
  ): Promise<ApiResponse<RefundObject>> {
    assertIntentId(intentId);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const intent = await this.intents.lockForMerchant(tx, intentId, meta.merchantId);
      if (!intent) throw ApiError.missing('payment_intent', intentId);
      const refundable = intent.amount_received - intent.amount_refunded;
      const amount = request.amount ?? refundable;
      const to = this.transitions.require(intent, 'refund', { refundable, refundAmount: amount });
      const now = this.clock.now();
      const refund = await this.refunds.insert(tx, {
        id: newRefundId(),
        payment_intent_id: intent.id,
        merchant_id: intent.merchant_id,
        amount,
        currency: intent.currency,
        status: 'pending',
        reason: request.reason ?? null,
        provider: providerOf(intent),
        version: 1,
        created_at: now,
        updated_at: now,
      });
      const cause = requestCause(meta);
      await this.transitions.write(tx, intent, {
        trigger: 'refund',
        to,
        cause,
        changes: { amount_refunded: intent.amount_refunded + amount },
        events: () => [
          refundEvent(
            'refund.requested',
            refundSnapshot(refund),
            intent.merchant_id,
            { provider: refund.provider, amount, reason: refund.reason },
            cause,
            now,
          ),
        ],
      });
      return { statusCode: HttpStatus.OK, body: toRefundObject(refund) };
    });
  }

  async list(merchantId: string, intentId: string): Promise<RefundList> {
    const intent = await this.intents.findForMerchant(this.dataSource, assertIntentId(intentId), merchantId);
    if (!intent) throw ApiError.missing('payment_intent', intentId);
    const page = await this.refunds.listForIntent(this.dataSource, intent.id);
    return { object: 'list', data: page.rows.map(toRefundObject), has_more: page.hasMore };
  }
}
