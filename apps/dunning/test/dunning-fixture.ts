import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  type EventDataOf,
  type AnyEvent,
  type EventOf,
  type EventType,
  type InvoiceBillingReason,
  type InvoiceObject,
  createEvent,
  validateEvent,
} from '@payflow/contracts';
import { TestClock } from '@payflow/platform/clock';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { type Tx, inTransaction } from '@payflow/platform/database';
import { runService } from '@payflow/platform/service';
import { DunningAppModule } from '../src/app.module';
import { IntentAuthorizations } from '../src/budgets/intent-authorizations';
import { InvoiceLifecycle } from '../src/cases/invoice-lifecycle';
import { PaymentFailures } from '../src/cases/payment-failures';
import { PaymentMethodChanges } from '../src/cases/payment-method-changes';
import { DunningConfig } from '../src/dunning.config';
import { ClockSync } from '../src/scheduler/clock-sync';
import { SchedulerPoller } from '../src/scheduler/scheduler.poller';

export const TOKEN = 'dunning-test-internal-token';
export const START = new Date('2026-03-01T00:00:00Z');
export const DAY_MS = 86_400_000;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
export const newMerchant = () => `mer_${hex(8)}`;
export const newCustomer = () => `cus_${hex(12)}`;
export const newSubscription = () => `sub_${hex(12)}`;
export const newInvoice = () => `in_${hex(12)}`;
export const newIntent = () => `pi_${hex(12)}`;
export const newClock = () => `clock_${hex(12)}`;
export const newKey = () => `key-${hex(8)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** An invoice of a subscription (or none), on a test clock (or the wall clock), as billing's events carry it. */
export interface InvoiceRef {
  merchant: string;
  invoice: string;
  customer: string;
  subscription: string | null;
  clock: string | null;
  billing_reason: InvoiceBillingReason;
}

export function newInvoiceRef(overrides: Partial<InvoiceRef> = {}): InvoiceRef {
  return {
    merchant: newMerchant(),
    invoice: newInvoice(),
    customer: newCustomer(),
    subscription: newSubscription(),
    clock: null,
    billing_reason: 'subscription_cycle',
    ...overrides,
  };
}

/** A second invoice of the same subscription and customer. */
export function nextInvoiceOf(ref: InvoiceRef): InvoiceRef {
  return { ...ref, invoice: newInvoice() };
}

export interface Failure {
  attempt: number;
  at: Date;
  payment_method?: string | null;
  code?: string;
  decline_code?: string | null;
  network?: string | null;
  advice_code?: string | null;
  payment_intent?: string | null;
}

/** An event as the inbox hands it to a handler, checked against its contract first. */
export function eventOf<T extends EventType>(type: T, source: string, merchant: string, aggregateId: string, data: EventDataOf<T>, version = 1): EventOf<T> {
  const event = createEvent({
    type,
    id: randomUUID(),
    source,
    aggregate_type: type.split('.')[0],
    aggregate_id: aggregateId,
    aggregate_version: version,
    merchant_id: merchant,
    correlation_id: `corr_${aggregateId}`,
    causation_id: null,
    data,
  }) as EventOf<T>;
  const checked = validateEvent(event);
  if (!checked.ok) throw new Error(`${type} does not validate: ${checked.errors.join('; ')}`);
  return event;
}

function invoiceObject(ref: InvoiceRef, at: Date, changes: Partial<InvoiceObject> = {}): InvoiceObject {
  return {
    id: ref.invoice,
    object: 'invoice',
    number: 'TEST-0001',
    customer: ref.customer,
    subscription: ref.subscription,
    status: 'open',
    currency: 'USD',
    lines: [],
    subtotal: 2_000,
    starting_balance: 0,
    total: 2_000,
    amount_due: 2_000,
    amount_paid: 0,
    attempt_count: 1,
    next_payment_attempt: null,
    payment_intent: null,
    period_start: at.toISOString(),
    period_end: new Date(at.getTime() + 30 * DAY_MS).toISOString(),
    created: at.toISOString(),
    finalized_at: at.toISOString(),
    paid_at: null,
    ...changes,
  };
}

function clockData(ref: { clock: string | null }, at: Date) {
  return { test_clock: ref.clock, clock_time: at.toISOString() };
}

/** Billing's events about one invoice, built as billing publishes them. */
export const billing = {
  finalized(ref: InvoiceRef, at: Date): EventOf<'invoice.finalized'> {
    return eventOf('invoice.finalized', 'billing', ref.merchant, ref.subscription ?? ref.invoice, {
      invoice: invoiceObject(ref, at, { attempt_count: 0 }),
      billing_reason: ref.billing_reason,
      ...clockData(ref, at),
    });
  },

  failed(ref: InvoiceRef, failure: Failure): EventOf<'invoice.payment_failed'> {
    const paymentIntent = failure.payment_intent === undefined ? newIntent() : failure.payment_intent;
    return eventOf('invoice.payment_failed', 'billing', ref.merchant, ref.subscription ?? ref.invoice, {
      invoice: invoiceObject(ref, failure.at, { attempt_count: failure.attempt, payment_intent: paymentIntent }),
      billing_reason: ref.billing_reason,
      attempt: failure.attempt,
      payment_intent: paymentIntent,
      payment_method: failure.payment_method === undefined ? 'pm_card_visa' : failure.payment_method,
      code: failure.code ?? 'card_declined',
      decline_code: failure.decline_code === undefined ? 'insufficient_funds' : failure.decline_code,
      network: failure.network === undefined ? 'visa' : failure.network,
      advice_code: failure.advice_code ?? null,
      failed_at: failure.at.toISOString(),
      ...clockData(ref, failure.at),
    });
  },

  paid(ref: InvoiceRef, attempt: number, at: Date): EventOf<'invoice.paid'> {
    return eventOf('invoice.paid', 'billing', ref.merchant, ref.subscription ?? ref.invoice, {
      invoice: invoiceObject(ref, at, {
        status: 'paid',
        attempt_count: attempt,
        amount_paid: 2_000,
        payment_intent: newIntent(),
        paid_at: at.toISOString(),
      }),
      billing_reason: ref.billing_reason,
      ...clockData(ref, at),
    });
  },

  voided(ref: InvoiceRef, attempt: number, at: Date): EventOf<'invoice.voided'> {
    return eventOf('invoice.voided', 'billing', ref.merchant, ref.subscription ?? ref.invoice, {
      invoice: invoiceObject(ref, at, { status: 'void', attempt_count: attempt }),
      billing_reason: ref.billing_reason,
      ...clockData(ref, at),
    });
  },

  /** `customer.payment_method_updated`; its aggregate_version is the change's wall milliseconds, as billing's. */
  cardChanged(ref: InvoiceRef, paymentMethod: string, at: Date, previous: string | null = null): EventOf<'customer.payment_method_updated'> {
    return eventOf(
      'customer.payment_method_updated',
      'billing',
      ref.merchant,
      ref.customer,
      { customer: ref.customer, payment_method: paymentMethod, previous_payment_method: previous, ...clockData(ref, at) },
      Date.now(),
    );
  },

  clockAdvanced(merchant: string, clock: string, to: Date): EventOf<'test_clock.advanced'> {
    return eventOf('test_clock.advanced', 'billing', merchant, clock, { clock, frozen_time: to.toISOString() });
  },
};

/** A declined payment of the merchant's own (no invoice), as intents publishes it. */
export function merchantDecline(merchant: string, paymentMethod: string, network: string, at: Date): EventOf<'payment_intent.authorization_failed'> {
  const id = newIntent();
  const event = eventOf('payment_intent.authorization_failed', 'intents', merchant, id, {
    intent: {
      id,
      object: 'payment_intent',
      merchant_id: merchant,
      amount: 1_000,
      currency: 'USD',
      status: 'failed',
      capture_method: 'manual',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: paymentMethod,
      provider: 'stripe',
      last_error: null,
      description: null,
      invoice: null,
      metadata: {},
      created: at.toISOString(),
      updated: at.toISOString(),
    },
    provider: 'stripe',
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    network,
  });
  return { ...event, occurred_at: at.toISOString() };
}

export interface OutboxEvent {
  id: number;
  key: string;
  type: string;
  data: Json;
}

/**
 * The dunning service in-process on port 0 with real Postgres and Kafka and a TestClock as the
 * wall clock (a test moves time, nothing sleeps). Billing's events are handed to the handlers in
 * a transaction as the inbox does (`deliver`); the internal API is called with fetch.
 */
export class DunningFixture {
  app!: INestApplication;
  url!: string;
  db!: Pool;

  constructor(readonly clock: TestClock = new TestClock(START)) {}

  async start(env: Record<string, string> = {}): Promise<void> {
    const config = loadConfig(DunningConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      CONSUMER_RETRY_BACKOFF_MS: '100',
      // Tests run the scheduler's passes themselves.
      DUNNING_SCHEDULER_POLL_INTERVAL_MS: '60000',
      // The TestClock moves months ahead: published rows must outlive that to be read back.
      OUTBOX_RETENTION_HOURS: String(20 * 365 * 24),
      INBOX_RETENTION_HOURS: String(20 * 365 * 24),
      ...env,
    });
    this.app = await runService(DunningAppModule.forRoot(config, this.clock), { service: 'dunning', port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('dunning'), max: 4 });
    this.db.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    await this.db?.end();
    await this.app?.close();
  }

  get<T>(type: new (...args: never[]) => T): T {
    return this.app.get(type, { strict: false });
  }

  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return inTransaction(this.app.get(DataSource), work);
  }

  /** Hands one event to its handler in one transaction, as the inbox transport does. */
  deliver(event: AnyEvent): Promise<void> {
    return this.tx(async (tx) => {
      switch (event.type) {
        case 'invoice.finalized':
          return this.get(InvoiceLifecycle).finalized(tx, event);
        case 'invoice.paid':
        case 'invoice.voided':
        case 'invoice.marked_uncollectible':
          return this.get(InvoiceLifecycle).ended(tx, event);
        case 'invoice.payment_failed':
          return this.get(PaymentFailures).failed(tx, event);
        case 'customer.payment_method_updated':
          return this.get(PaymentMethodChanges).updated(tx, event);
        case 'test_clock.advanced':
          return this.get(ClockSync).advanced(tx, event);
        case 'payment_intent.authorization_failed':
          return this.get(IntentAuthorizations).declined(tx, event);
        case 'payment_intent.authorized':
        case 'payment_intent.captured':
          return this.get(IntentAuthorizations).approved(tx, event);
        default:
          throw new Error(`no dunning handler for ${event.type}`);
      }
    });
  }

  /** One pass of the wall-clock scheduler at the TestClock's time. */
  schedulerPass(): Promise<void> {
    return this.get(SchedulerPoller).pass();
  }

  async call(
    method: string,
    path: string,
    options: { merchant?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-internal-token': TOKEN, ...options.headers };
    if (options.merchant) headers['x-merchant-id'] = options.merchant;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.url}/internal/v1${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Dunning's outbox events about `key`'s invoices (a Kafka key, or an invoice id), oldest first. */
  async outbox(where: { key?: string; invoice?: string; type?: string }): Promise<OutboxEvent[]> {
    const { rows } = await this.db.query(
      `SELECT id, message_key, event_type, payload FROM outbox
        WHERE ($1::text IS NULL OR message_key = $1)
          AND ($2::text IS NULL OR payload->'data'->>'invoice' = $2)
          AND ($3::text IS NULL OR event_type = $3)
        ORDER BY id`,
      [where.key ?? null, where.invoice ?? null, where.type ?? null],
    );
    return rows.map((row) => {
      const checked = validateEvent(row.payload);
      if (!checked.ok) throw new Error(`outbox event ${row.event_type} does not validate: ${checked.errors.join('; ')}`);
      return { id: Number(row.id), key: row.message_key, type: row.event_type, data: row.payload.data };
    });
  }

  /** `type (attempt) decision` lines of an invoice's events, to compare sequences at a glance. */
  async story(invoice: string): Promise<string[]> {
    return (await this.outbox({ invoice })).map((e) => {
      const detail = e.type === 'dunning.decided' ? ` ${e.data.decision}` : '';
      return `${e.type}${e.data.attempt !== undefined ? ` #${e.data.attempt}` : ''}${detail}`;
    });
  }

  async attempts(merchant: string, invoice: string): Promise<Json[]> {
    const answer = await this.call('GET', `/invoices/${invoice}/payment_attempts`, { merchant });
    if (answer.status !== 200) throw new Error(`payment_attempts: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  }
}
