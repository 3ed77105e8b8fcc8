import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';
import { BillingCore1766000000000 } from './1766000000000-billing-core';
import { Invoices1766000000100 } from './1766000000100-invoices';
import { TestClocks1766000000200 } from './1766000000200-test-clocks';
import { InvoicePaymentReversal1766000000300 } from './1766000000300-invoice-payment-reversal';
import { Dunning1766000000400 } from './1766000000400-dunning';

import { DunningFinalActions1766000000500 } from './1766000000500-dunning-final-actions';
/** Migrations of the billing schema, oldest first. */
export const BILLING_MIGRATIONS = [MessagingTables1764230400000, OutboxSetAside1764921600000, ConsumerOffsets1764921600200, BillingCore1766000000000, Invoices1766000000100, TestClocks1766000000200, InvoicePaymentReversal1766000000300, Dunning1766000000400, DunningFinalActions1766000000500];
