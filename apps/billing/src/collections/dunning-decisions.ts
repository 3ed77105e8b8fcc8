import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Tx, rowsOf } from '@payflow/platform/database';
import { wakeTestClockSaga } from '../test-clocks/test-clocks.repository';
import { CaseInvoices, countDunningEvent } from './case-invoices';

/**
 * What dunning decided and how far it synced each test clock, kept for the test clock saga's
 * dunning gate (`DunningGate`): `dunning.decided` per (invoice, attempt) — a later decision on the
 * same attempt (a new card, a closed case) replaces the earlier — and `dunning.clock_synced`, the
 * latest instant per clock. A decision on the invoice's current attempt also sets its
 * `next_payment_attempt` (API.md: the retry's instant, else null), a field no event announces.
 */
@Injectable()
export class DunningDecisions {
  private readonly logger = new Logger(DunningDecisions.name);

  constructor(private readonly cases: CaseInvoices) {}

  async decided(tx: Tx, event: EventOf<'dunning.decided'>): Promise<void> {
    const { attempt, decision, due_at: dueAt, reason } = event.data;
    const invoice = await this.cases.lock(tx, event, event.data.invoice);
    if (!invoice) return;
    await tx.query(
      `INSERT INTO dunning_decisions (invoice_id, attempt, test_clock_id, decision, due_at, reason, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (invoice_id, attempt) DO UPDATE
         SET decision = EXCLUDED.decision, due_at = EXCLUDED.due_at, reason = EXCLUDED.reason,
             event_id = EXCLUDED.event_id, received_at = now()`,
      [invoice.id, attempt, invoice.test_clock_id, decision, dueAt, reason, event.id],
    );
    const current = invoice.status === 'open' && invoice.attempt_count === attempt && !invoice.payment_pending;
    if (current) {
      await tx.query(`UPDATE invoices SET next_payment_attempt = $2, updated_at = now() WHERE id = $1`, [
        invoice.id,
        decision === 'retry_scheduled' ? dueAt : null,
      ]);
    }
    if (invoice.test_clock_id) await wakeTestClockSaga(tx, invoice.test_clock_id);
    countDunningEvent(event, current ? 'recorded' : 'recorded_not_current');
  }

  async clockSynced(tx: Tx, event: EventOf<'dunning.clock_synced'>): Promise<void> {
    const { clock, frozen_time: frozenTime } = event.data;
    const [known] = rowsOf<{ merchant_id: string }>(
      await tx.query(`SELECT merchant_id FROM test_clocks WHERE id = $1`, [clock]),
    );
    if (!known || known.merchant_id !== event.merchant_id) {
      this.logger.warn(`dunning.clock_synced ${event.id} names clock ${clock}, which billing does not know for ${event.merchant_id}`);
      return countDunningEvent(event, 'unknown_clock');
    }
    await tx.query(
      `INSERT INTO dunning_clock_syncs (test_clock_id, frozen_time) VALUES ($1, $2)
       ON CONFLICT (test_clock_id) DO UPDATE
         SET frozen_time = GREATEST(dunning_clock_syncs.frozen_time, EXCLUDED.frozen_time), received_at = now()`,
      [clock, frozenTime],
    );
    await wakeTestClockSaga(tx, clock);
    countDunningEvent(event, 'recorded');
  }
}
