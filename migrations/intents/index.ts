import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { PaymentIntents1764230400001 } from './1764230400001-payment-intents';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';
import { RefundsOutliveReversedCapture1765000000000 } from './1765000000000-refunds-outlive-reversed-capture';
import { InvoicePayments1766000001000 } from './1766000001000-invoice-payments';

/** Migrations of the intents schema, oldest first. */
export const INTENTS_MIGRATIONS = [
  MessagingTables1764230400000,
  PaymentIntents1764230400001,
  OutboxSetAside1764921600000,
  ConsumerOffsets1764921600200,
  RefundsOutliveReversedCapture1765000000000,
  InvoicePayments1766000001000,
];
