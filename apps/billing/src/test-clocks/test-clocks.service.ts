import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdvanceTestClockRequest, CreateTestClockRequest } from '@payflow/api';
import type { TestClockObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Tx, inTransaction } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { ListObject, listOf, unknownCursor } from '../http/list-object';
import { assertIdOf } from '../http/public-ids';
import type { RequestMeta } from '../http/request-meta';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { checkAdvance } from './advance-step';
import { ClockSubscriptions } from './clock-subscriptions';
import type { ListTestClocksQuery } from './list-test-clocks.query';
import { DeletedTestClockObject, TestClockRow, newTestClockId, toTestClockObject } from './test-clock.row';
import { TestClocksRepository, wakeTestClockSaga } from './test-clocks.repository';

export const TEST_CLOCKS_URL = '/v1/test_clocks';

const secondsToDate = (seconds: number) => new Date(seconds * 1000);

/** 409 while the clock advances (API.md), Stripe's code for it. */
function clockAdvancing(id: string): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'invalid_request_error',
    'test_clock_advancing',
    `Test clock ${id} is advancing; wait until its status is ready before advancing it again`,
  );
}

/** The test clock API (API.md "Test clock"): create, read, list, advance, delete. */
@Injectable()
export class TestClocksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clocks: TestClocksRepository,
    private readonly subscriptions: ClockSubscriptions,
    private readonly idempotent: IdempotentTransaction,
    private readonly clock: Clock,
  ) {}

  create(meta: RequestMeta, body: CreateTestClockRequest): Promise<ApiAnswer<TestClockObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const row = await this.clocks.insert(tx, {
        id: newTestClockId(),
        merchant_id: meta.merchantId,
        name: body.name ?? null,
        frozen_time: secondsToDate(body.frozen_time),
        created_at: this.clock.now(),
      });
      return { statusCode: 201, body: toTestClockObject(row) };
    });
  }

  async get(merchantId: string, id: string): Promise<TestClockObject> {
    return toTestClockObject(await this.mustFind(this.dataSource, merchantId, id));
  }

  async list(merchantId: string, query: ListTestClocksQuery): Promise<ListObject<TestClockObject>> {
    let after: TestClockRow | null = null;
    if (query.starting_after) {
      after = await this.clocks.find(this.dataSource, merchantId, query.starting_after);
      if (!after) throw unknownCursor('test_clock', query.starting_after);
    }
    const rows = await this.clocks.page(
      this.dataSource,
      merchantId,
      query.limit,
      after && {
        created_at: after.created_at,
        id: after.id,
      },
    );
    return listOf(rows, query.limit, TEST_CLOCKS_URL, toTestClockObject);
  }

  /**
   * Starts an advance and answers at once with the clock `advancing`: the saga (any replica) takes
   * it step by step to `frozen_time` and sets it `ready` again when every step's work and answers
   * are done. A clock already advancing is a 409 (whatever the time asked); a time not later than
   * the clock's a 400 naming `frozen_time`. The clock's row lock orders it with a concurrent
   * advance, a delete and the saga's steps.
   */
  advance(meta: RequestMeta, id: string, body: AdvanceTestClockRequest): Promise<ApiAnswer<TestClockObject>> {
    assertIdOf('test_clock', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const clock = await this.mustFind(tx, meta.merchantId, id, 'update');
      const target = secondsToDate(body.frozen_time);
      const refusal = checkAdvance(
        { status: clock.status, frozenMs: clock.frozen_time.getTime() },
        target.getTime(),
      );
      if (refusal === 'advancing') throw clockAdvancing(id);
      if (refusal === 'not_later') {
        throw ApiError.invalidParam(
          'frozen_time',
          `frozen_time must be later than the clock's time (${clock.frozen_time.toISOString()})`,
        );
      }
      const started = await this.clocks.startAdvance(tx, id, target, this.clock.now());
      await wakeTestClockSaga(tx, id);
      return { statusCode: 200, body: toTestClockObject(started) };
    });
  }

  /**
   * Deletes the clock (it answers 404 from then on) and cancels its customers' subscriptions, at
   * the clock's time, without proration or a final invoice; their invoices are kept as they are
   * (docs/billing.md "Test clocks and time"). An advance in progress stops where it is.
   */
  async remove(meta: RequestMeta, id: string): Promise<DeletedTestClockObject> {
    assertIdOf('test_clock', id);
    return inTransaction(this.dataSource, async (tx: Tx) => {
      const clock = await this.mustFind(tx, meta.merchantId, id, 'update');
      await this.subscriptions.cancelAll(tx, clock, {
        correlationId: meta.correlationId,
        causationId: meta.requestId,
      });
      await this.clocks.markDeleted(tx, id, this.clock.now());
      return { id, object: 'test_clock', deleted: true };
    });
  }

  private async mustFind(
    db: DataSource | Tx,
    merchantId: string,
    id: string,
    lock: 'none' | 'update' = 'none',
  ): Promise<TestClockRow> {
    assertIdOf('test_clock', id);
    const clock = await this.clocks.find(db, merchantId, id, lock);
    if (!clock) throw ApiError.missing('test_clock', id);
    return clock;
  }
}
