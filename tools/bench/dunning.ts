/**
 * bench:dunning — issue 12: collecting many failed renewals on test clocks. Starts billing and
 * dunning on the benchmark's database and topics. The bench plays intents (as bench:billing does):
 * it consumes billing's topic and answers every `invoice.payment_requested` once per (invoice,
 * attempt), from a script per card, with `payment_intent.captured` or
 * `payment_intent.authorization_failed` carrying the decline's facts (code, decline_code, network,
 * advice_code).
 *
 * Set-up (not measured): per merchant a test clock at 15 Jan 2026, a monthly price and its dunning
 * settings (two merchants keep the defaults, one marks exhausted invoices uncollectible, one has
 * other schedule days and `mark_unpaid`); per case a customer with `pm_card_visa` and one
 * subscription, whose first invoice is paid; then the customer's card is swapped to the bench's
 * declining card for that case (`pm_bench…`: any token works with a played intents). The clocks
 * are advanced to the day before the renewal.
 *
 * Measured, in two legs: (A) every clock to the renewal's first failure + 10 days — every renewal
 * is declined, dunning decides, the clocks stop at every retry; (B) after some customers with a
 * hard-declined card give a new one (tried at once), every clock to + 15 days, past the schedule's
 * last day, so every case ends paid or exhausted. The scripts mix soft declines (some recover after
 * k tries), hard ones (lost/stolen card, Mastercard advice 03) and technical ones (unknown outcome),
 * on Visa and Mastercard cards.
 *
 * Checked: every case is played again with the pure functions (`classifyDecline`, dunning's
 * `decideAfterFailure`, `decideOnNewPaymentMethod`, `decideWaitExpired`) from its script, and must
 * match what happened: at day 10 (attempts made, decisions published, subscription status), and at
 * the end (dunning's payment attempts API: each attempt's time, result, decline, decision and
 * reason; every `dunning.decided` with its `due_at`; one `dunning.retry_due` per retry; the
 * exhaustion and its reason; `payment_method.unusable` exactly for the hard declines; no payment
 * requested on a hard-declined card; billing's invoice and subscription status after the final
 * action). Any mismatch fails the run (no JSON line, exit 1).
 *
 * The value: `dunning.decided` events published during the two legs ÷ the legs' seconds (advance
 * call → every clock ready). Latency: from each `dunning.retry_due` to the attempt's result
 * (`invoice.payment_failed` of that attempt, or `invoice.paid`), both by their Kafka timestamps
 * (when the outbox relays published them), so it covers billing's request, the bench's answer and
 * billing applying it.
 *
 * Options (or BENCH_DUNNING_<NAME> variables): --cases (1000), --merchants (4: one test clock each),
 * --concurrency (set-up requests in flight, 16). Iterate with a small --cases. `--stories` prints
 * every script's expected story (from the pure functions, with each merchant's settings) and exits
 * without starting anything.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { TOPICS, createEvent, validateEvent } from '@payflow/contracts';
import { classifyDecline, type DeclineFacts } from '@payflow/declines';
import { createKafka } from '@payflow/platform/messaging';
import {
  DEFAULT_DUNNING_SETTINGS,
  DEFAULT_NETWORK_LIMITS,
  decideAfterFailure,
  decideOnNewPaymentMethod,
  decideWaitExpired,
  type CaseFacts,
  type Decision,
  type DunningSettings,
  type FailedAttempt,
} from '../../apps/dunning/src/decisions';
import { startPlatform } from '../dev/platform';
import { SERVICES } from '../dev/services';
import { percentile, progress, round } from './stats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const { values: options } = parseArgs({
  options: {
    cases: { type: 'string' },
    merchants: { type: 'string' },
    concurrency: { type: 'string' },
    stories: { type: 'boolean' },
  },
});
const option = (name: 'cases' | 'merchants' | 'concurrency', fallback: number): number => {
  const raw = options[name] ?? process.env[`BENCH_DUNNING_${name.toUpperCase()}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return value;
};
const CASES = option('cases', 1_000);
const MERCHANTS = Math.min(option('merchants', 4), CASES);
const CONCURRENCY = option('concurrency', 16);

const DAY = 86_400;
/** The clocks start on 15 Jan 2026; the renewal is on 15 Feb, finalized (and declined) an hour later. */
const T0 = Date.UTC(2026, 0, 15) / 1000;
const T1 = Date.UTC(2026, 1, 15) / 1000;
const DRAFT_WINDOW_S = 3_600;
/** Every renewal's first failure: day 0 of its schedule. */
const FIRST_FAILURE = T1 + DRAFT_WINDOW_S;
const BEFORE_RENEWAL = T1 - DAY;
/** Leg A's end: hard-declined customers still wait for a card; some give one here. */
const DAY_10 = FIRST_FAILURE + 10 * DAY;
/** Leg B's end: past every schedule's last day (14), before the next renewal (15 Mar). */
const END = FIRST_FAILURE + 15 * DAY;
const RENEWAL_KEY = `b:${T1}`;

const run = randomBytes(3).toString('hex');

// ── The cases' scripts ──────────────────────────────────────────────────────────────────────────

type Network = 'visa' | 'mastercard';
const soft = (declineCode: string, network: Network, advice: string | null = null): DeclineFacts => ({
  code: 'card_declined',
  decline_code: declineCode,
  network,
  advice_code: advice,
});
const hard = soft;
const technical = (network: Network): DeclineFacts => ({
  code: 'payment_outcome_unknown',
  decline_code: null,
  network,
  advice_code: null,
});
const times = (n: number, facts: DeclineFacts): DeclineFacts[] => Array.from({ length: n }, () => facts);

/**
 * What a case's declining card answers: `declines[k]` to its (k+1)-th authorization, then approve
 * (or decline forever with the last one). `newCard`: the customer gives a new card (which
 * approves) at day 10.
 */
interface Script {
  name: string;
  declines: DeclineFacts[];
  then: 'approve' | 'decline';
  newCard?: boolean;
}

const SCRIPTS: Script[] = [
  { name: 'soft_visa_1_then_paid', declines: [soft('insufficient_funds', 'visa')], then: 'approve' },
  { name: 'soft_visa_2_then_paid', declines: times(2, soft('insufficient_funds', 'visa')), then: 'approve' },
  {
    name: 'soft_mastercard_4_then_paid',
    declines: times(4, soft('insufficient_funds', 'mastercard')),
    then: 'approve',
  },
  { name: 'soft_visa_always', declines: [soft('insufficient_funds', 'visa')], then: 'decline' },
  { name: 'soft_mastercard_always', declines: [soft('do_not_honor', 'mastercard')], then: 'decline' },
  { name: 'soft_visa_6_then_paid', declines: times(6, soft('generic_decline', 'visa')), then: 'approve' },
  { name: 'hard_visa_lost_card', declines: [hard('lost_card', 'visa')], then: 'decline' },
  {
    name: 'hard_visa_stolen_card_new_card',
    declines: [hard('stolen_card', 'visa')],
    then: 'decline',
    newCard: true,
  },
  {
    name: 'hard_mastercard_advice_03',
    declines: [hard('do_not_honor', 'mastercard', '03')],
    then: 'decline',
  },
  {
    name: 'hard_mastercard_advice_03_new_card',
    declines: [hard('do_not_honor', 'mastercard', '03')],
    then: 'decline',
    newCard: true,
  },
  { name: 'technical_visa_3_then_paid', declines: times(3, technical('visa')), then: 'approve' },
  { name: 'technical_mastercard_1_then_paid', declines: [technical('mastercard')], then: 'approve' },
  { name: 'technical_visa_always', declines: [technical('visa')], then: 'decline' },
  { name: 'technical_mastercard_always', declines: [technical('mastercard')], then: 'decline' },
  {
    name: 'technical_then_soft_visa_then_paid',
    declines: [technical('visa'), soft('insufficient_funds', 'visa')],
    then: 'approve',
  },
  {
    name: 'mixed_mastercard_then_paid',
    declines: [
      soft('insufficient_funds', 'mastercard'),
      technical('mastercard'),
      technical('mastercard'),
      soft('insufficient_funds', 'mastercard'),
    ],
    then: 'approve',
  },
  {
    name: 'soft_visa_try_again_later_3_then_paid',
    declines: times(3, soft('try_again_later', 'visa')),
    then: 'approve',
  },
  { name: 'hard_mastercard_lost_card', declines: [hard('lost_card', 'mastercard')], then: 'decline' },
  {
    name: 'soft_mastercard_advice_24_2_then_paid',
    declines: times(2, soft('insufficient_funds', 'mastercard', '24')),
    then: 'approve',
  },
  {
    name: 'technical_visa_5_soft_then_paid',
    declines: [...times(5, technical('visa')), soft('insufficient_funds', 'visa')],
    then: 'approve',
  },
];

/** The answer of a case's declining card to its attempt `attempt` (1-based): a decline, or null to approve. */
function declineOf(script: Script, attempt: number): DeclineFacts | null {
  const k = attempt - 1;
  if (k < script.declines.length) return script.declines[k];
  return script.then === 'approve' ? null : script.declines[script.declines.length - 1];
}

/** The merchants' dunning settings: m0, m1 the defaults; m2 marks uncollectible; m3 other days, `mark_unpaid`. */
const MERCHANT_SETTINGS: DunningSettings[] = [
  DEFAULT_DUNNING_SETTINGS,
  DEFAULT_DUNNING_SETTINGS,
  { ...DEFAULT_DUNNING_SETTINGS, mark_uncollectible: true },
  { retry_schedule_days: [2, 4, 6, 8, 10, 12, 14], final_action: 'mark_unpaid', mark_uncollectible: false },
];
const settingsOf = (merchant: number): DunningSettings =>
  MERCHANT_SETTINGS[merchant % MERCHANT_SETTINGS.length];

interface Case {
  n: number;
  merchant: number;
  script: Script;
  /** The declining card swapped in after the first invoice; `newCard` the one given at day 10. */
  card: string;
  newCard: string;
  customer: string;
  subscription: string;
  /** The renewal invoice, once billing asked for its first payment. */
  invoice?: string;
}

// ── The expected story of a case, from the pure functions ───────────────────────────────────────

type Outcome = 'paid' | 'retry_scheduled' | 'wait_for_payment_method' | 'exhausted';

interface ExpectedAttempt {
  attempt: number;
  at: number;
  payment_method: string;
  status: 'failed' | 'succeeded';
  decline: DeclineFacts | null;
  decision: 'retry_scheduled' | 'wait_for_payment_method' | 'exhausted' | 'paid';
  reason: string | null;
}

interface ExpectedDecided {
  attempt: number;
  decision: string;
  reason: string;
  due_at: number | null;
}

interface Expected {
  attempts: ExpectedAttempt[];
  decided: ExpectedDecided[];
  outcome: Outcome;
  /** The exhaustion's reason (`dunning.exhausted`). */
  exhaustedReason: string | null;
  /** Cards hard-declined (`payment_method.unusable`). */
  unusable: string[];
}

const decidedOf = (attempt: number, d: Decision): ExpectedDecided => ({
  attempt,
  decision: d.decision,
  reason: d.reason,
  due_at:
    d.decision === 'retry_scheduled' ? d.due_at : d.decision === 'wait_for_payment_method' ? d.until : null,
});

/**
 * Plays a case with the pure functions up to clock time `horizon` (inclusive: the clock stops at
 * every due instant and the step's work is done before it is ready). Attempt 1 fails at the
 * renewal's finalization; a retry happens at its `due_at`; a card given at `newCardAt` is decided
 * on at that instant; a wait for a card ends at its `until`.
 */
function expectedStory(c: Case, horizon: number, newCardAt: number | null): Expected {
  const settings = settingsOf(c.merchant);
  const attempts: ExpectedAttempt[] = [];
  const decided: ExpectedDecided[] = [];
  const failures: FailedAttempt[] = [];
  const unusable: string[] = [];
  let current = c.card;
  let at = FIRST_FAILURE;
  const facts = (): CaseFacts => ({
    anchor: FIRST_FAILURE,
    failures,
    current_payment_method: current,
    unusable_payment_methods: unusable,
  });
  for (let attempt = 1; ; attempt++) {
    const decline = current === c.card ? declineOf(c.script, attempt) : null;
    if (decline === null) {
      attempts.push({
        attempt,
        at,
        payment_method: current,
        status: 'succeeded',
        decline,
        decision: 'paid',
        reason: null,
      });
      return { attempts, decided, outcome: 'paid', exhaustedReason: null, unusable };
    }
    const classification = classifyDecline(decline);
    failures.push({ attempt, at, payment_method: current, network: decline.network, classification });
    if (classification.class === 'hard' || classification.needs_new_payment_method) unusable.push(current);
    // The service passes the card's authorizations from its store: the case's own declines, which
    // decideAfterFailure merges in from the failures when missing, so none are given here.
    let decision = decideAfterFailure(facts(), settings, [], DEFAULT_NETWORK_LIMITS, at);
    attempts.push({
      attempt,
      at,
      payment_method: current,
      status: 'failed',
      decline,
      decision: decision.decision,
      reason: decision.reason,
    });
    decided.push(decidedOf(attempt, decision));
    // A later decision after the same attempt (a new card, the wait's end) is what the attempt shows.
    const redecide = (later: Decision) =>
      Object.assign(attempts[attempts.length - 1], { decision: later.decision, reason: later.reason });
    if (decision.decision === 'wait_for_payment_method') {
      if (newCardAt !== null && newCardAt >= at && newCardAt < decision.until && newCardAt <= horizon) {
        current = c.newCard;
        decision = decideOnNewPaymentMethod(facts(), settings, [], DEFAULT_NETWORK_LIMITS, newCardAt);
        decided.push(decidedOf(attempt, decision));
        redecide(decision);
      } else if (decision.until <= horizon) {
        const expired = decideWaitExpired(facts(), settings, decision.until);
        decided.push(decidedOf(attempt, expired));
        redecide(expired);
        return {
          attempts,
          decided,
          outcome: expired.decision === 'exhausted' ? 'exhausted' : 'wait_for_payment_method',
          exhaustedReason: expired.decision === 'exhausted' ? expired.reason : null,
          unusable,
        };
      } else {
        return { attempts, decided, outcome: 'wait_for_payment_method', exhaustedReason: null, unusable };
      }
    }
    if (decision.decision === 'exhausted') {
      return { attempts, decided, outcome: 'exhausted', exhaustedReason: decision.reason, unusable };
    }
    if (decision.decision === 'wait_for_payment_method') {
      return { attempts, decided, outcome: 'wait_for_payment_method', exhaustedReason: null, unusable };
    }
    if (decision.due_at > horizon) {
      return { attempts, decided, outcome: 'retry_scheduled', exhaustedReason: null, unusable };
    }
    at = decision.due_at;
  }
}

// ── Services' APIs ──────────────────────────────────────────────────────────────────────────────

class InternalApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async call(method: string, merchant: string, path: string, body?: unknown): Promise<Json> {
    for (let tries = 1; ; tries++) {
      const response = await fetch(`${this.url}/internal/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-internal-token': this.token,
          'x-merchant-id': merchant,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as Json;
      if (response.status < 300) return answer;
      if (response.status === 409 && tries < 5) continue;
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    }
  }
}

async function pooled(
  what: string,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        await task(next++);
        if (++done % 250 === 0) progress(`  ${what}: ${done}/${count}`);
      }
    }),
  );
  progress(`${what}: ${count} in ${round((performance.now() - started) / 1000, 1)} s`);
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const seconds = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) / 1000 : null);

// ── The bench's intents, and what it hears ─────────────────────────────────────────────────────

interface HeardDecided extends ExpectedDecided {
  publishedMs: number;
}

/**
 * Plays intents for billing and listens to dunning: answers every payment request once (per
 * invoice and attempt) from the card's script, in one producer call per consumed batch, and keeps
 * what billing and dunning published about every invoice, with the Kafka timestamps.
 */
class Bench {
  readonly caseOfCard = new Map<string, Case>();
  readonly caseOfInvoice = new Map<string, Case>();
  /** invoice → attempts answered (attempt → payment method), and requests seen twice. */
  readonly requests = new Map<string, Map<number, string>>();
  duplicateRequests = 0;
  /** Requests on a card after the bench declined it hard (billing must ask none). */
  readonly requestsAfterHardDecline: string[] = [];
  private readonly hardDeclined = new Set<string>();
  readonly decided = new Map<string, HeardDecided[]>();
  readonly decidedPublishedMs: number[] = [];
  readonly decidedKinds = new Map<string, number>();
  /** `invoice#attempt` → Kafka timestamps of its retry_due events. */
  readonly retryDue = new Map<string, number[]>();
  /** `invoice#attempt` → Kafka timestamp of its result (payment_failed, or paid for the paying attempt). */
  readonly results = new Map<string, number>();
  /** `invoice#attempt` → Kafka timestamp of billing's payment request. */
  readonly requestedMs = new Map<string, number>();
  readonly paid = new Map<string, number>();
  readonly exhausted = new Map<string, Json[]>();
  readonly unusable = new Map<string, string[]>();
  private readonly intentOf = new Map<string, { id: string; version: number }>();
  private consumer!: Consumer;
  private producer!: Producer;

  constructor(private readonly prefix: string) {}

  async start(): Promise<void> {
    const kafka = createKafka(`bench-dunning-${run}`, process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = kafka.consumer({ groupId: `${this.prefix}bench-dunning-${run}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [`${this.prefix}${TOPICS.billing}`, `${this.prefix}${TOPICS.dunning}`],
      fromBeginning: true,
    });
    await this.consumer.run({
      partitionsConsumedConcurrently: 12,
      eachBatch: (payload) => this.batch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async batch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const answers: { key: string; value: string; headers: Record<string, string> }[] = [];
    for (const message of batch.messages) {
      const event = JSON.parse(message.value!.toString()) as Json;
      const answer = this.heard(event, Number(message.timestamp));
      if (answer) answers.push(answer);
    }
    if (answers.length > 0)
      await this.producer.send({ topic: `${this.prefix}${TOPICS.intents}`, messages: answers });
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await heartbeat();
  }

  private heard(
    event: Json,
    publishedMs: number,
  ): { key: string; value: string; headers: Record<string, string> } | null {
    const data = event.data ?? {};
    switch (event.type) {
      case 'invoice.payment_requested':
        if (!this.requestedMs.has(`${data.invoice.id}#${data.attempt}`))
          this.requestedMs.set(`${data.invoice.id}#${data.attempt}`, publishedMs);
        return this.requested(event);
      case 'invoice.payment_failed':
        this.results.set(`${data.invoice.id}#${data.attempt}`, publishedMs);
        return null;
      case 'invoice.paid':
        if (!this.paid.has(data.invoice.id)) {
          this.paid.set(data.invoice.id, publishedMs);
          this.results.set(`${data.invoice.id}#${data.invoice.attempt_count}`, publishedMs);
        }
        return null;
      case 'dunning.decided': {
        const list = this.decided.get(data.invoice) ?? [];
        list.push({
          attempt: data.attempt,
          decision: data.decision,
          reason: data.reason,
          due_at: seconds(data.due_at),
          publishedMs,
        });
        this.decided.set(data.invoice, list);
        this.decidedPublishedMs.push(publishedMs);
        this.decidedKinds.set(data.decision, (this.decidedKinds.get(data.decision) ?? 0) + 1);
        return null;
      }
      case 'dunning.retry_due': {
        const key = `${data.invoice}#${data.attempt}`;
        this.retryDue.set(key, [...(this.retryDue.get(key) ?? []), publishedMs]);
        return null;
      }
      case 'dunning.exhausted':
        this.exhausted.set(data.invoice, [...(this.exhausted.get(data.invoice) ?? []), data]);
        return null;
      case 'payment_method.unusable':
        this.unusable.set(data.customer, [...(this.unusable.get(data.customer) ?? []), data.payment_method]);
        return null;
      default:
        return null;
    }
  }

  private requested(event: Json): { key: string; value: string; headers: Record<string, string> } | null {
    const { invoice, attempt, payment_method: pm } = event.data;
    const seen = this.requests.get(invoice.id) ?? new Map<number, string>();
    this.requests.set(invoice.id, seen);
    if (seen.has(attempt)) {
      this.duplicateRequests++;
      return null;
    }
    seen.set(attempt, pm);
    const declining = this.caseOfCard.get(pm);
    if (declining && attempt === 1) {
      declining.invoice = invoice.id;
      this.caseOfInvoice.set(invoice.id, declining);
    }
    if (this.hardDeclined.has(pm)) this.requestsAfterHardDecline.push(`${invoice.id}#${attempt} on ${pm}`);
    const decline = declining ? declineOf(declining.script, attempt) : null;
    if (decline && classifyDecline(decline).class === 'hard') this.hardDeclined.add(pm);
    return this.answer(event, decline);
  }

  /** `payment_intent.captured`, or `.authorization_failed` with the decline's facts, as intents publishes them. */
  private answer(
    request: Json,
    decline: DeclineFacts | null,
  ): { key: string; value: string; headers: Record<string, string> } {
    const invoice = request.data.invoice;
    // One intent per invoice, authorized again for each attempt, as intents does for billing.
    const intentState = this.intentOf.get(invoice.id) ?? {
      id: `pi_${randomBytes(12).toString('hex')}`,
      version: 1,
    };
    this.intentOf.set(invoice.id, intentState);
    intentState.version += 2;
    const at = new Date().toISOString();
    const amount = request.data.amount as number;
    const intent = {
      id: intentState.id,
      object: 'payment_intent' as const,
      merchant_id: request.merchant_id as string,
      amount,
      currency: String(request.data.currency).toUpperCase(),
      status: decline ? ('failed' as const) : ('captured' as const),
      capture_method: 'automatic' as const,
      amount_capturable: 0,
      amount_received: decline ? 0 : amount,
      amount_refunded: 0,
      payment_method: request.data.payment_method as string,
      provider: 'stripe' as const,
      last_error: decline
        ? {
            type: decline.code === 'card_declined' ? 'card_error' : 'api_error',
            code: decline.code,
            decline_code: decline.decline_code,
            message: `bench: ${decline.decline_code ?? decline.code}`,
            network: decline.network,
            advice_code: decline.advice_code,
          }
        : null,
      description: null,
      metadata: {},
      invoice: invoice.id as string,
      created: at,
      updated: at,
    };
    const common = {
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intentState.id,
      merchant_id: request.merchant_id as string,
      correlation_id: request.correlation_id ?? null,
      causation_id: request.id as string,
    };
    const event = decline
      ? createEvent({
          ...common,
          type: 'payment_intent.authorization_failed',
          aggregate_version: intentState.version,
          data: {
            intent,
            provider: 'stripe',
            code: decline.code,
            decline_code: decline.decline_code,
            message: intent.last_error!.message,
            network: decline.network,
            advice_code: decline.advice_code,
          },
        })
      : createEvent({
          ...common,
          type: 'payment_intent.captured',
          aggregate_version: intentState.version,
          data: { intent, provider: 'stripe', amount_captured: amount, fee_bps: 290, fee_fixed: 30 },
        });
    const valid = validateEvent(event);
    if (!valid.ok) throw new Error(`the bench built an invalid ${event.type}: ${JSON.stringify(valid)}`);
    return {
      key: intentState.id,
      value: JSON.stringify(event),
      headers: { 'event-id': event.id, 'event-type': event.type },
    };
  }

  decidedOf(invoice: string): HeardDecided[] {
    return (this.decided.get(invoice) ?? []).filter((d) => d.decision !== 'closed');
  }
}

// ── Checks ──────────────────────────────────────────────────────────────────────────────────────

/** The mismatches of one checkpoint: all counted, the first ones kept to print. */
class Problems {
  readonly list: string[] = [];
  count = 0;
  add(message: string): void {
    this.count++;
    if (this.list.length < 25) this.list.push(message);
  }
  report(when: string): void {
    if (this.count === 0) return progress(`checked ${when}: every case as its story says`);
    const more = this.count > this.list.length ? `\n  … and ${this.count - this.list.length} more` : '';
    progress(`CHECKS FAILED ${when} (${this.count}):\n  ${this.list.join('\n  ')}${more}`);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Where two lists first differ, shown short: the lengths, then the first differing entries. */
function firstDifference<T>(got: T[], want: T[], show: (item: T | undefined) => string): string {
  const i = got.findIndex((item, k) => !same(item, want[k]));
  const at = i === -1 ? Math.min(got.length, want.length) : i;
  return `${got.length} vs ${want.length} expected; first difference #${at + 1}: got ${show(got[at])}, expected ${show(want[at])}`;
}
const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString());
const showDecided = (list: ExpectedDecided[]) =>
  list.map((d) => `${d.attempt}:${d.decision}/${d.reason}@${iso(d.due_at) ?? '-'}`).join(', ');

function subscriptionStatusAfter(c: Case, outcome: Outcome): string {
  if (outcome !== 'exhausted') return outcome === 'paid' ? 'active' : 'past_due';
  switch (settingsOf(c.merchant).final_action) {
    case 'cancel':
      return 'canceled';
    case 'mark_unpaid':
      return 'unpaid';
    case 'leave_past_due':
      return 'past_due';
  }
}

function invoiceStatusAfter(c: Case, outcome: Outcome): string {
  if (outcome === 'paid') return 'paid';
  return outcome === 'exhausted' && settingsOf(c.merchant).mark_uncollectible ? 'uncollectible' : 'open';
}

/** What is known from events at a checkpoint: attempts asked for, decisions published, statuses. */
function checkFromEvents(
  bench: Bench,
  cases: Case[],
  stories: Expected[],
  subscriptionStatus: Map<string, string>,
  invoiceStatus: Map<string, string>,
  problems: Problems,
): void {
  for (const c of cases) {
    const story = stories[c.n];
    const at = `case ${c.n} (${c.script.name}, ${c.invoice ?? 'no renewal invoice'})`;
    if (!c.invoice) {
      problems.add(`${at}: billing never asked for the renewal's payment on the declining card`);
      continue;
    }
    const asked = [...(bench.requests.get(c.invoice)?.entries() ?? [])].sort(([a], [b]) => a - b);
    const expectedAsked: [number, string][] = story.attempts.map((a) => [a.attempt, a.payment_method]);
    if (!same(asked, expectedAsked))
      problems.add(
        `${at}: payments asked ${firstDifference(asked, expectedAsked, (a) => (a ? `${a[0]} on ${a[1]}` : 'none'))}`,
      );
    const decided = bench
      .decidedOf(c.invoice)
      .map(({ attempt, decision, reason, due_at }) => ({ attempt, decision, reason, due_at }));
    if (!same(decided, story.decided))
      problems.add(
        `${at}: dunning.decided ${firstDifference(decided, story.decided, (d) => (d ? showDecided([d]) : 'none'))}`,
      );
    const sub = subscriptionStatus.get(c.subscription);
    if (sub !== subscriptionStatusAfter(c, story.outcome))
      problems.add(
        `${at}: subscription ${sub}, expected ${subscriptionStatusAfter(c, story.outcome)} (${story.outcome})`,
      );
    const inv = invoiceStatus.get(c.invoice);
    if (inv !== invoiceStatusAfter(c, story.outcome))
      problems.add(
        `${at}: invoice ${inv}, expected ${invoiceStatusAfter(c, story.outcome)} (${story.outcome})`,
      );
    for (const retry of story.attempts.slice(1)) {
      const issued = bench.retryDue.get(`${c.invoice}#${retry.attempt}`)?.length ?? 0;
      if (issued !== 1)
        problems.add(`${at}: ${issued} dunning.retry_due for attempt ${retry.attempt}, expected 1`);
    }
    const lastRetry = story.attempts.length + 1;
    if (bench.retryDue.has(`${c.invoice}#${lastRetry}`) && story.outcome !== 'retry_scheduled')
      problems.add(`${at}: a dunning.retry_due for attempt ${lastRetry}, which the story does not make`);
    const exhausted = bench.exhausted.get(c.invoice) ?? [];
    if (story.outcome === 'exhausted') {
      const settings = settingsOf(c.merchant);
      if (
        exhausted.length !== 1 ||
        exhausted[0].reason !== story.exhaustedReason ||
        exhausted[0].final_action !== settings.final_action ||
        exhausted[0].mark_uncollectible !== settings.mark_uncollectible
      )
        problems.add(
          `${at}: dunning.exhausted ${JSON.stringify(exhausted.map((e) => [e.reason, e.final_action, e.mark_uncollectible]))}, expected one ${story.exhaustedReason} ${settings.final_action}`,
        );
    } else if (exhausted.length > 0)
      problems.add(`${at}: exhausted (${exhausted[0].reason}) but expected ${story.outcome}`);
    const unusable = bench.unusable.get(c.customer) ?? [];
    if (!same([...new Set(unusable)].sort(), [...story.unusable].sort()))
      problems.add(
        `${at}: payment_method.unusable for ${JSON.stringify(unusable)}, expected ${JSON.stringify(story.unusable)}`,
      );
  }
  for (const request of bench.requestsAfterHardDecline)
    problems.add(`payment asked on a hard-declined card: ${request}`);
}

/** Dunning's payment attempts API against the story, attempt by attempt. */
function checkAttempts(c: Case, story: Expected, listed: Json[], problems: Problems): void {
  const at = `case ${c.n} (${c.script.name}, ${c.invoice})`;
  const got = listed
    .map((a) => ({
      attempt: a.attempt,
      at: seconds(a.at),
      status: a.status,
      decline:
        a.status === 'failed'
          ? { code: a.code, decline_code: a.decline_code, network: a.network, advice_code: a.advice_code }
          : null,
      decision: a.decision,
      reason: a.reason,
    }))
    .sort((a, b) => a.attempt - b.attempt);
  const want = story.attempts.map(({ attempt, at: time, status, decline, decision, reason }) => ({
    attempt,
    at: time,
    status,
    decline,
    decision,
    reason,
  }));
  if (got.length !== want.length) {
    problems.add(
      `${at}: ${got.length} payment attempts listed, expected ${want.length}: ${JSON.stringify(got)}`,
    );
    return;
  }
  for (let i = 0; i < want.length; i++) {
    // The paying attempt's reason is the service's to word; its decision must be `paid`.
    const w = want[i].status === 'succeeded' ? { ...want[i], reason: got[i].reason } : want[i];
    if (!same(got[i], w))
      problems.add(
        `${at}: attempt ${w.attempt} listed ${JSON.stringify(got[i])}, expected ${JSON.stringify(w)}`,
      );
  }
}

// ── The run ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  if (!SERVICES.some((s) => s.name === 'dunning'))
    throw new Error('the dunning service is not in tools/dev/services.ts yet: nothing to measure');
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  progress(`starting billing and dunning (${CASES} cases, ${MERCHANTS} merchants and test clocks)`);
  const platform = await startPlatform({ LOG_LEVEL: 'warn', BILLING_DRAFT_WINDOW: `${DRAFT_WINDOW_S}s` }, [
    'billing',
    'dunning',
  ]);
  const token = platform.env['INTERNAL_API_TOKEN'];
  const billing = new InternalApi(platform.urls['billing'], token);
  const dunning = new InternalApi(platform.urls['dunning'], token);
  const bench = new Bench(prefix);
  try {
    await bench.start();

    // ── Set-up (not measured) ───────────────────────────────────────────────────────────────────
    const merchants = Array.from({ length: MERCHANTS }, (_, m) => `mer_bench${run}m${m}`);
    const clocks: string[] = [];
    const prices: string[] = [];
    for (const [m, merchant] of merchants.entries()) {
      const { retry_schedule_days, final_action, mark_uncollectible } = settingsOf(m);
      await dunning.call('POST', merchant, '/dunning_settings', {
        retry_schedule_days,
        final_action,
        mark_uncollectible,
      });
      clocks.push(
        (await billing.call('POST', merchant, '/test_clocks', { frozen_time: T0, name: 'bench dunning' })).id,
      );
      prices.push(
        (
          await billing.call('POST', merchant, '/prices', {
            currency: 'usd',
            unit_amount: 1_900 + 100 * m,
            recurring: { interval: 'month', interval_count: 1 },
          })
        ).id,
      );
    }
    const cases: Case[] = [];
    await pooled('customers and subscriptions', CASES, CONCURRENCY, async (n) => {
      // Blocks of 20 consecutive cases (every script once) per merchant, so each merchant has them all.
      const m = Math.floor(n / SCRIPTS.length) % MERCHANTS;
      const customer = await billing.call('POST', merchants[m], '/customers', {
        email: `d${n}@bench.example`,
        payment_method: 'pm_card_visa',
        test_clock: clocks[m],
      });
      const subscription = await billing.call('POST', merchants[m], '/subscriptions', {
        customer: customer.id,
        items: [{ price: prices[m], quantity: 1 }],
      });
      cases[n] = {
        n,
        merchant: m,
        script: SCRIPTS[n % SCRIPTS.length],
        card: `pm_bench${run}_${n}`,
        newCard: `pm_bench${run}_${n}_new`,
        customer: customer.id,
        subscription: subscription.id,
      };
    });
    for (const c of cases) bench.caseOfCard.set(c.card, c);
    const count = async (sql: string, params: unknown[]): Promise<number> =>
      Number((await admin.query(sql, params)).rows[0].n);
    await waitUntil(
      'the first invoices paid',
      async () =>
        (await count(
          `SELECT count(*) AS n FROM billing.subscriptions WHERE test_clock_id = ANY($1) AND status = 'active'`,
          [clocks],
        )) === CASES,
      600_000,
    );
    await pooled('cards swapped to the declining ones', CASES, CONCURRENCY, async (n) => {
      const c = cases[n];
      await billing.call('POST', merchants[c.merchant], `/customers/${c.customer}`, {
        payment_method: c.card,
      });
    });

    const advanceAll = (to: number) =>
      Promise.all(
        clocks.map((clock, m) =>
          billing.call('POST', merchants[m], `/test_clocks/${clock}/advance`, { frozen_time: to }),
        ),
      );
    const clocksReady = async () =>
      (await count(`SELECT count(*) AS n FROM billing.test_clocks WHERE id = ANY($1) AND status = 'ready'`, [
        clocks,
      ])) === clocks.length;
    await advanceAll(BEFORE_RENEWAL);
    await waitUntil('the clocks the day before the renewal', clocksReady, 600_000);

    /** Advances every clock to `to` and waits until all are ready, reporting progress; wall ms of both ends. */
    const leg = async (name: string, to: number): Promise<{ startMs: number; endMs: number }> => {
      progress(`${name}: advancing ${clocks.length} clocks to ${iso(to)}`);
      const startMs = Date.now();
      await advanceAll(to);
      let lastReport = Date.now();
      await waitUntil(
        `${name}: every clock ready`,
        async () => {
          if (await clocksReady()) return true;
          if (Date.now() - lastReport > 3_000) {
            lastReport = Date.now();
            const { rows } = await admin.query(
              `SELECT min(frozen_time) AS t FROM billing.test_clocks WHERE id = ANY($1)`,
              [clocks],
            );
            progress(
              `  ${round((Date.now() - startMs) / 1000, 1)} s: slowest clock at ${new Date(rows[0].t).toISOString()}, ` +
                `dunning.decided ${bench.decidedPublishedMs.length}, retry_due ${bench.retryDue.size}, paid ${bench.paid.size}`,
            );
          }
          return false;
        },
        1_800_000,
      );
      const endMs = Date.now();
      progress(`${name}: every clock ready after ${round((endMs - startMs) / 1000, 1)} s`);
      return { startMs, endMs };
    };
    const statuses = async () => {
      const subscriptions = new Map<string, string>();
      const invoices = new Map<string, string>();
      for (const row of (
        await admin.query(`SELECT id, status FROM billing.subscriptions WHERE test_clock_id = ANY($1)`, [
          clocks,
        ])
      ).rows)
        subscriptions.set(row.id, row.status);
      for (const row of (
        await admin.query(
          `SELECT id, status, attempt_count FROM billing.invoices WHERE test_clock_id = ANY($1) AND invoice_key = $2`,
          [clocks, RENEWAL_KEY],
        )
      ).rows)
        invoices.set(row.id, row.status);
      return { subscriptions, invoices };
    };
    const decidedTotal = (stories: Expected[]) => stories.reduce((sum, s) => sum + s.decided.length, 0);
    const heardDecisions = () =>
      [...bench.decided.values()].reduce(
        (sum, l) => sum + l.filter((d) => d.decision !== 'closed').length,
        0,
      );
    const outcomes = (stories: Expected[]) => {
      const counts: Record<string, number> = {};
      for (const s of stories) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
      return counts;
    };

    // ── Measured leg A: the renewals fail, dunning retries up to day 10 ─────────────────────────
    const legA = await leg('leg A (renewal → day 10)', DAY_10);
    const storiesA = cases.map((c) => expectedStory(c, DAY_10, null));
    // The clocks are ready once billing has the decisions; the bench's own consumer may trail.
    await waitUntil(
      'the bench to hear leg A',
      () => heardDecisions() >= decidedTotal(storiesA),
      60_000,
    ).catch(() => undefined);
    const problemsA = new Problems();
    const atA = await statuses();
    checkFromEvents(bench, cases, storiesA, atA.subscriptions, atA.invoices, problemsA);
    problemsA.report('at day 10');
    progress(`expected at day 10: ${JSON.stringify(outcomes(storiesA))}`);

    // ── Between the legs: some customers with a hard-declined card give a new one ──────────────
    const givers = cases.filter((c) => c.script.newCard);
    const newCardsMs = Date.now();
    await pooled('new cards for hard-declined customers', givers.length, CONCURRENCY, async (i) => {
      const c = givers[i];
      await billing.call('POST', merchants[c.merchant], `/customers/${c.customer}`, {
        payment_method: c.newCard,
      });
    });
    await waitUntil(
      'the new cards tried and paid',
      () => givers.every((c) => c.invoice && bench.paid.has(c.invoice)),
      300_000,
    );
    progress(
      `new cards: ${givers.length} invoices paid ${round((Date.now() - newCardsMs) / 1000, 1)} s after the first update`,
    );

    // ── Measured leg B: to the end of every schedule ────────────────────────────────────────────
    const legB = await leg('leg B (day 10 → day 15)', END);
    const stories = cases.map((c) => expectedStory(c, END, c.script.newCard ? DAY_10 : null));
    await waitUntil(
      'the bench to hear leg B',
      () =>
        heardDecisions() >= decidedTotal(stories) &&
        bench.exhausted.size >= (outcomes(stories)['exhausted'] ?? 0),
      60_000,
    ).catch(() => undefined);

    // ── Checks at the end ───────────────────────────────────────────────────────────────────────
    const problems = new Problems();
    const atEnd = await statuses();
    checkFromEvents(bench, cases, stories, atEnd.subscriptions, atEnd.invoices, problems);
    if (atEnd.invoices.size !== CASES)
      problems.add(`${atEnd.invoices.size} renewal invoices, expected ${CASES}`);
    const { rows: attemptCounts } = await admin.query(
      `SELECT id, attempt_count, payment_pending FROM billing.invoices WHERE test_clock_id = ANY($1) AND invoice_key = $2`,
      [clocks, RENEWAL_KEY],
    );
    for (const row of attemptCounts) {
      const c = bench.caseOfInvoice.get(row.id);
      const want = c ? stories[c.n].attempts.length : -1;
      if (Number(row.attempt_count) !== want || row.payment_pending)
        problems.add(
          `${row.id}: billing's attempt_count ${row.attempt_count} (pending ${row.payment_pending}), expected ${want}`,
        );
    }
    await pooled('payment attempts read from dunning', CASES, CONCURRENCY, async (n) => {
      const c = cases[n];
      if (!c.invoice) return;
      const list = await dunning.call(
        'GET',
        merchants[c.merchant],
        `/invoices/${c.invoice}/payment_attempts`,
      );
      checkAttempts(c, stories[n], list.data, problems);
    });
    problems.report('at the end');

    // ── Figures ─────────────────────────────────────────────────────────────────────────────────
    const inLegs = (ms: number) =>
      (ms >= legA.startMs && ms <= legA.endMs) || (ms >= legB.startMs && ms <= legB.endMs);
    const decidedInLegs = bench.decidedPublishedMs.filter(inLegs).length;
    const legSeconds = (legA.endMs - legA.startMs + legB.endMs - legB.startMs) / 1000;
    const rate = decidedInLegs / legSeconds;
    // The whole path, and its two halves: billing requesting the attempt, then the answer applied.
    const latencies: number[] = [];
    const toRequest: number[] = [];
    const toResult: number[] = [];
    for (const [key, published] of bench.retryDue) {
      const result = bench.results.get(key);
      const requested = bench.requestedMs.get(key);
      if (result !== undefined) latencies.push(result - published[0]);
      if (requested !== undefined) toRequest.push(requested - published[0]);
      if (requested !== undefined && result !== undefined) toResult.push(result - requested);
    }
    const retries = stories.reduce((sum, s) => sum + s.attempts.length - 1, 0);
    if (problemsA.count + problems.count === 0 && latencies.length !== retries)
      throw new Error(`${latencies.length} retries with a result, expected ${retries}`);
    const attempts = stories.reduce((sum, s) => sum + s.attempts.length, 0);
    progress(
      `${CASES} cases against the pure decisions (${attempts} attempts, ${decidedTotal(stories)} decisions, ${retries} retries); ` +
        `${decidedInLegs} dunning.decided in ${round(legSeconds, 1)} s: ${round(rate, 1)}/s; retry_due → result p50 ` +
        `${round(percentile(latencies, 50), 0)} ms, p99 ${round(percentile(latencies, 99), 0)} ms`,
    );
    process.stdout.write(
      `${JSON.stringify({
        name: 'dunning_decisions',
        value: round(rate, 1),
        unit: 'decisions/s',
        p50_retry_to_result_ms: round(percentile(latencies, 50), 0),
        p99_retry_to_result_ms: round(percentile(latencies, 99), 0),
        max_retry_to_result_ms: round(Math.max(...latencies), 0),
        p99_retry_to_request_ms: round(percentile(toRequest, 99), 0),
        p99_request_to_result_ms: round(percentile(toResult, 99), 0),
        latency_from:
          'dunning.retry_due to invoice.payment_failed/invoice.paid of that attempt, Kafka timestamps',
        cases: CASES,
        merchants: MERCHANTS,
        decided_events: decidedInLegs,
        decided_by_kind: Object.fromEntries(bench.decidedKinds),
        attempts,
        retries,
        outcomes_day_10: outcomes(storiesA),
        outcomes: outcomes(stories),
        leg_a_s: round((legA.endMs - legA.startMs) / 1000, 1),
        leg_b_s: round((legB.endMs - legB.startMs) / 1000, 1),
        duplicate_payment_requests: bench.duplicateRequests,
        started_at: new Date(legA.startMs).toISOString(),
        checked: problemsA.count + problems.count === 0,
        problems: { day_10: problemsA.count, end: problems.count },
      })}\n`,
    );
    // Figures are printed either way (with `checked: false`), but a mismatch fails the run.
    if (problemsA.count + problems.count > 0) process.exitCode = 1;
  } finally {
    await bench.stop().catch(() => undefined);
    await platform.stop();
    await admin.end();
  }
}

/** `--stories`: what the checks expect of each script, per merchant's settings, at day 10 and at the end. */
function printStories(): void {
  for (const [m] of MERCHANT_SETTINGS.entries()) {
    for (const [i, script] of SCRIPTS.entries()) {
      const c: Case = {
        n: i,
        merchant: m,
        script,
        card: 'pm_card',
        newCard: 'pm_new',
        customer: '',
        subscription: '',
      };
      const story = expectedStory(c, END, script.newCard ? DAY_10 : null);
      const day = (t: number | null) => (t === null ? '-' : `d${round((t - FIRST_FAILURE) / DAY, 3)}`);
      process.stdout.write(
        `m${m} ${script.name}: ${story.outcome}${story.exhaustedReason ? ` (${story.exhaustedReason})` : ''}, ` +
          `at day 10 ${expectedStory(c, DAY_10, null).outcome}\n` +
          story.attempts
            .map((a) => `    ${a.attempt} ${day(a.at)} ${a.status} ${a.decision} ${a.reason ?? ''}\n`)
            .join('') +
          `    decided: ${story.decided.map((d) => `${d.attempt}:${d.decision}/${d.reason}@${day(d.due_at)}`).join(', ')}\n`,
      );
    }
  }
}

if (options.stories) {
  printStories();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`bench:dunning failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
