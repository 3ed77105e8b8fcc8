import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { PaymentIntents1764230400001 } from './1764230400001-payment-intents';

/** Migrations of the intents schema, oldest first. */
export const INTENTS_MIGRATIONS = [MessagingTables1764230400000, PaymentIntents1764230400001];
