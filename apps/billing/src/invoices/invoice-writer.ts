import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import type { Queryable } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import { Cause, InvoiceEventFacts, InvoiceEventType, invoiceEvent } from './invoice-events';
import { InvoiceLineRow, InvoiceRow, toInvoiceObject } from './invoice.row';
import { InvoiceChanges, InvoicesRepository } from './invoices.repository';

/**
 * Every change of an invoice that the outside world hears about goes through here: the row changes
 * (its version +1) and its `invoice.*` event, carrying the invoice as it now is, goes to the outbox
 * in the same transaction. The caller holds the invoice's row lock.
 */
@Injectable()
export class InvoiceWriter {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async change<T extends InvoiceEventType>(
    tx: Queryable,
    row: InvoiceRow,
    changes: InvoiceChanges,
    type: T,
    facts: InvoiceEventFacts<T>,
    clockTime: Date,
    cause: Cause,
  ): Promise<InvoiceRow> {
    const version = row.version + 1;
    const after = await this.invoices.update(tx, row.id, { ...changes, version });
    const lines = await this.invoices.lines(tx, row.id);
    await this.outbox.append(
      tx,
      invoiceEvent(
        type,
        after,
        toInvoiceObject(after, lines),
        version,
        this.clock.now(),
        clockTime,
        facts,
        cause,
      ),
    );
    return after;
  }

  /**
   * The events of changes a batch has already written (one statement for many invoices): each
   * carries its invoice as `row` says it is after that change (`version` its aggregate version).
   * All go to the outbox in one statement, in the order given.
   */
  async announce(
    tx: Queryable,
    changes: readonly {
      type: InvoiceEventType;
      row: InvoiceRow;
      lines: readonly InvoiceLineRow[];
      facts: object;
      clockTime: Date;
    }[],
    cause: Cause,
  ): Promise<void> {
    const now = this.clock.now();
    await this.outbox.append(
      tx,
      changes.map((c) =>
        invoiceEvent(
          c.type,
          c.row,
          toInvoiceObject(c.row, c.lines),
          c.row.version,
          now,
          c.clockTime,
          c.facts as never,
          cause,
        ),
      ),
    );
  }
}
