import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
} from '@payflow/api';
import { PaymentIntentObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Tx } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { ApiResponse } from '../http/api-response';
import { assertIntentId, newIntentId } from '../http/public-ids';
import { RequestMeta } from '../http/request-meta';
import { IdempotencyRecords } from '../idempotency/idempotency-records';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { Cause, requestCause } from '../state-machine/cause';
import { intentEvent } from '../state-machine/intent-events';
import { IntentTransitions } from '../state-machine/intent-transitions';
import { IntentWaiter } from '../sync-wait/intent-waiter';
import { SyncWait, WaitedCommand } from '../sync-wait/sync-wait';
import { feeChargeFor, parseFeeSchedule } from './fee-schedule';
import { invoicePaymentRefused } from './invoice-payment-refused';
import { PaymentIntentRow, providerOf, toPaymentIntentObject } from './payment-intent.row';
import { PaymentIntentsRepository } from './payment-intents.repository';

export interface PaymentIntentList {
  object: 'list';
  data: PaymentIntentObject[];
  has_more: boolean;
}

/**
 * Payment intents: creation, reads, and the authorize/capture/cancel commands. A command is one
 * transaction (idempotency record, row lock, transition, history, outbox) and then, for the
 * commands the orchestrator answers, the sync facade's wait for that answer.
 */
@Injectable()
export class PaymentIntentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentsRepository,
    private readonly transitions: IntentTransitions,
    private readonly idempotent: IdempotentTransaction,
    private readonly records: IdempotencyRecords,
    private readonly syncWait: SyncWait,
    private readonly clock: Clock,
  ) {}

  async create(
    meta: RequestMeta,
    request: CreatePaymentIntentRequest,
  ): Promise<ApiResponse<PaymentIntentObject>> {
    if (
      request.merchant_id !== undefined &&
      request.merchant_id !== null &&
      request.merchant_id !== meta.merchantId
    ) {
      throw ApiError.forbidden('merchant_id does not match the authenticated merchant', 'merchant_id');
    }
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const now = this.clock.now();
      const intent = await this.intents.insert(tx, {
        id: newIntentId(),
        merchant_id: meta.merchantId,
        amount: request.amount,
        currency: request.currency,
        status: 'created',
        capture_method: request.capture_method ?? 'manual',
        amount_capturable: 0,
        amount_received: 0,
        amount_refunded: 0,
        payment_method: request.payment_method ?? null,
        provider: null,
        last_error: null,
        description: request.description ?? null,
        metadata: request.metadata ?? {},
        fee_schedule: null,
        authorization_attempts: 0,
        authorization_expires_at: null,
        capture_amount_requested: null,
        cancellation_reason: null,
        invoice: null,
        version: 0,
        created_at: now,
        updated_at: now,
      });
      const cause = requestCause(meta);
      await this.transitions.recordHistory(tx, intent.id, null, 'created', 'create', cause, now);
      await this.transitions.appendEvents(tx, [
        intentEvent('payment_intent.created', intent, {}, cause, now),
      ]);
      return { statusCode: HttpStatus.CREATED, body: toPaymentIntentObject(intent) };
    });
  }

  async get(merchantId: string, id: string): Promise<PaymentIntentObject> {
    const intent = await this.intents.findForMerchant(this.dataSource, assertIntentId(id), merchantId);
    if (!intent) throw ApiError.missing('payment_intent', id);
    return toPaymentIntentObject(intent);
  }

  async list(merchantId: string, query: ListPaymentIntentsQuery): Promise<PaymentIntentList> {
    let cursor: PaymentIntentRow | undefined;
    if (query.starting_after) {
      // Stripe's convention: a cursor that names no object of this merchant is a bad parameter.
      cursor =
        (await this.intents.findForMerchant(this.dataSource, query.starting_after, merchantId)) ?? undefined;
      if (!cursor) {
        throw ApiError.invalidParam(
          'starting_after',
          `No such payment_intent: '${query.starting_after}'`,
          'resource_missing',
        );
      }
    }
    const page = await this.intents.list(this.dataSource, merchantId, {
      limit: query.limit,
      status: query.status,
      startingAfter: cursor,
    });
    return { object: 'list', data: page.rows.map(toPaymentIntentObject), has_more: page.hasMore };
  }

  async authorize(
    meta: RequestMeta,
    id: string,
    request: AuthorizeRequest,
  ): Promise<ApiResponse<PaymentIntentObject>> {
    const schedule = parseFeeSchedule(meta.feeScheduleHeader);
    return this.command(meta, id, 'authorize', async (tx, intent, cause) => {
      const to = this.transitions.require(intent, 'authorize');
      const paymentMethod = request.payment_method ?? intent.payment_method;
      if (!paymentMethod) {
        throw ApiError.invalidParam(
          'payment_method',
          'payment_method is required: the payment intent has none',
          'parameter_missing',
        );
      }
      const attemptNo = intent.authorization_attempts + 1;
      return this.transitions.write(tx, intent, {
        trigger: 'authorize',
        to,
        cause,
        changes: {
          payment_method: paymentMethod,
          authorization_attempts: attemptNo,
          // Automatic capture charges as part of this request: the fee is the schedule of now.
          ...(intent.capture_method === 'automatic'
            ? { fee_schedule: feeChargeFor(schedule, intent.currency) }
            : {}),
        },
        events: (after) => [
          intentEvent(
            'payment_intent.authorization_requested',
            after,
            { payment_method: paymentMethod, capture_method: after.capture_method, attempt_no: attemptNo },
            cause,
            this.clock.now(),
          ),
        ],
      });
    });
  }

  async capture(
    meta: RequestMeta,
    id: string,
    request: CaptureRequest,
  ): Promise<ApiResponse<PaymentIntentObject>> {
    const schedule = parseFeeSchedule(meta.feeScheduleHeader);
    return this.command(meta, id, 'capture', async (tx, intent, cause) => {
      const to = this.transitions.require(intent, 'capture');
      const amount = request.amount ?? intent.amount_capturable;
      if (amount > intent.amount_capturable) {
        throw ApiError.invalidParam(
          'amount',
          `amount (${amount}) must not exceed amount_capturable (${intent.amount_capturable})`,
          'amount_too_large',
        );
      }
      const provider = providerOf(intent);
      return this.transitions.write(tx, intent, {
        trigger: 'capture',
        to,
        cause,
        changes: { capture_amount_requested: amount, fee_schedule: feeChargeFor(schedule, intent.currency) },
        events: (after) => [
          intentEvent(
            'payment_intent.capture_requested',
            after,
            { provider, amount },
            cause,
            this.clock.now(),
          ),
        ],
      });
    });
  }

  async cancel(
    meta: RequestMeta,
    id: string,
    request: CancelRequest,
  ): Promise<ApiResponse<PaymentIntentObject>> {
    return this.command(meta, id, 'cancel', async (tx, intent, cause) => {
      const to = this.transitions.require(intent, 'cancel');
      const reason = request.reason ?? null;
      if (to === 'canceled') {
        // Nothing was sent to a PSP yet: canceled at once, no void to wait for.
        return this.transitions.write(tx, intent, {
          trigger: 'cancel',
          to,
          cause,
          changes: { cancellation_reason: reason },
          events: (after) => [
            intentEvent(
              'payment_intent.canceled',
              after,
              { provider: after.provider, reason },
              cause,
              this.clock.now(),
            ),
          ],
        });
      }
      const provider = providerOf(intent);
      return this.transitions.write(tx, intent, {
        trigger: 'cancel',
        to,
        cause,
        changes: { cancellation_reason: reason },
        events: (after) => [
          intentEvent(
            'payment_intent.cancel_requested',
            after,
            { provider, reason },
            cause,
            this.clock.now(),
          ),
        ],
      });
    });
  }

  /**
   * One command: locks the merchant's intent, lets `step` write the transition, answers `202` with
   * the in-between status inside the transaction (that is what an idempotent replay repeats if the
   * wait below never finishes), then waits for the orchestrator and answers `200` if it settled.
   */
  private async command(
    meta: RequestMeta,
    id: string,
    command: WaitedCommand,
    step: (tx: Tx, intent: PaymentIntentRow, cause: Cause) => Promise<PaymentIntentRow>,
  ): Promise<ApiResponse<PaymentIntentObject>> {
    assertIntentId(id);
    // Set inside the transaction (before it commits), read after it: a holder, not a narrowed local.
    const wait: { waiter?: IntentWaiter } = {};
    try {
      const committed = await this.idempotent.run(meta.idempotency, async (tx) => {
        const intent = await this.intents.lockForMerchant(tx, id, meta.merchantId);
        if (!intent) throw ApiError.missing('payment_intent', id);
        // Billing owns an invoice's payment (DESIGN.md, "Billing"): merchants may only refund it.
        if (intent.invoice) throw invoicePaymentRefused(command, intent.invoice);
        const after = await step(tx, intent, requestCause(meta));
        const waits = !(command === 'cancel' && after.status === 'canceled');
        // Registered before commit: the orchestrator's answer cannot commit before this does.
        if (waits) wait.waiter = this.syncWait.register(after.id);
        return {
          statusCode: waits ? HttpStatus.ACCEPTED : HttpStatus.OK,
          body: toPaymentIntentObject(after),
        };
      });
      const waiter = wait.waiter;
      if (committed.replayed || !waiter) return committed;
      wait.waiter = undefined; // settle() disposes it
      const { intent, settled } = await this.syncWait.settle(waiter, command);
      const answer = {
        statusCode: settled ? HttpStatus.OK : HttpStatus.ACCEPTED,
        body: toPaymentIntentObject(intent),
      };
      if (meta.idempotency) await this.records.finalize(this.dataSource, meta.idempotency, answer);
      return answer;
    } finally {
      // The transaction failed (or replayed) after registering: stop watching.
      wait.waiter?.dispose();
    }
  }
}
