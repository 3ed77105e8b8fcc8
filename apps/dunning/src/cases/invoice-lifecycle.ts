import { Injectable } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Queryable } from '@payflow/platform/database';
import { CustomerClocks } from '../clocks/customer-clocks';
import { DunningPublisher } from '../events/dunning-publisher';
import { AttemptsRepository } from './attempts.repository';
import { casesEndedTotal } from './case-metrics';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';
import { causeOf } from './event-cause';
import { InvoicesRepository, type KnownInvoiceStatus } from './invoices.repository';
import { subjectOf } from './payment-failures';
import { RetriesRepository } from './retries.repository';

type EndingEvent = EventOf<'invoice.paid'> | EventOf<'invoice.voided'> | EventOf<'invoice.marked_uncollectible'>;

const ENDINGS: Record<EndingEvent['type'], { status: KnownInvoiceStatus; reason: string }> = {
  'invoice.paid': { status: 'paid', reason: 'invoice_paid' },
  'invoice.voided': { status: 'void', reason: 'invoice_voided' },
  'invoice.marked_uncollectible': { status: 'uncollectible', reason: 'invoice_uncollectible' },
};

/**
 * Invoices' lives as billing tells them. `invoice.finalized` makes the invoice known (its attempts
 * list answers, empty); `invoice.paid`, `.voided` and `.marked_uncollectible` end its case within
 * the event — planned retries canceled, `dunning.decided` `closed` — and are remembered, so a
 * failure that arrives after them opens nothing (whatever order the events come in).
 */
@Injectable()
export class InvoiceLifecycle {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly customers: CustomerCards,
    private readonly attempts: AttemptsRepository,
    private readonly cases: CasesRepository,
    private readonly retries: RetriesRepository,
    private readonly clocks: CustomerClocks,
    private readonly publisher: DunningPublisher,
  ) {}

  async finalized(tx: Queryable, event: EventOf<'invoice.finalized'>): Promise<void> {
    const subject = subjectOf(event);
    await this.customers.ensure(tx, subject);
    await this.invoices.record(tx, subject, event.data.billing_reason ?? null, 'open');
  }

  async ended(tx: Queryable, event: EndingEvent): Promise<void> {
    const { status, reason } = ENDINGS[event.type];
    const subject = subjectOf(event);
    const { invoice } = event.data;
    await this.customers.ensure(tx, subject);
    await this.invoices.record(tx, subject, event.data.billing_reason ?? null, status, invoice.attempt_count);
    const clockTime = event.data.clock_time ? new Date(event.data.clock_time) : null;
    const now = await this.clocks.now(tx, subject.test_clock_id, clockTime);
    if (status === 'paid' && invoice.payment_intent && invoice.attempt_count >= 1) {
      await this.attempts.recordSuccess(tx, {
        invoice_id: invoice.id,
        merchant_id: subject.merchant_id,
        attempt: invoice.attempt_count,
        payment_intent: invoice.payment_intent,
        at: clockTime ?? (invoice.paid_at ? new Date(invoice.paid_at) : now),
      });
    }
    const c = await this.cases.lock(tx, invoice.id);
    if (!c || c.status === 'closed') return;
    // Marking uncollectible by hand stops collecting; an exhausted case stays as the schedule left it.
    if (c.status === 'exhausted' && status === 'uncollectible') return;
    await this.cases.end(tx, c.invoice_id, 'closed', reason);
    if (c.status !== 'open') return;
    await this.retries.cancelScheduled(tx, c.invoice_id);
    await this.publisher.decided(
      tx,
      c,
      { attempt: c.last_attempt, decision: 'closed', due_at: null, reason },
      now,
      causeOf(event),
    );
    casesEndedTotal.inc({ reason });
  }
}
