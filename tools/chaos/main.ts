/**
 * `npm run chaos`: the seeded chaos harness (docs/chaos.md). Starts its own Postgres and Kafka and
 * the platform on them, runs a seeded workload while injecting the seeded faults, waits for
 * quiescence, checks the invariants and prints one JSON object as its last line. Exit 1 when any
 * invariant fails, 2 when the harness itself could not run.
 */
import { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import { TOPICS } from '@payflow/contracts';
import { createKafka } from '@payflow/platform/messaging';
import { readBillingSubscriptions, readInvoiceIntents, readTestClocks } from './billing-facts';
import { evaluateBillingInvariants } from './billing-invariants';
import { planSubscriptions } from './billing-plan';
import { PaymentMilestones, runBillingWorkload, type BillingWorkloadResult } from './billing-workload';
import { startEnvironment } from './environment';
import {
  readBalances,
  readCaptureEntries,
  readDeadLetters,
  readHeldPayments,
  readIntents,
  readVerify,
  readOpenAttempts,
  readOverdueGauge,
  readRefunds,
  readSuspense,
  runReplay,
} from './facts';
import { FaultRunner, describe } from './faults';
import { evaluateInvariants, type InvariantResult } from './invariants';
import { parseOptions } from './options';
import { takeSnapshot, waitForQuiescence, type QuiescenceSnapshot } from './quiescence';
import { buildReport } from './report';
import { pspTimingSettings } from './psp-settings';
import { buildSchedule } from './schedule';
import { createMerchants, runWorkload, type PaymentResult } from './workload';
import { planMerchants, planPayments } from './workload-plan';

const log = (line: string) => process.stderr.write(`chaos: ${line}\n`);

function summary(snapshot: QuiescenceSnapshot): string {
  const outbox = Object.entries(snapshot.outbox)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`);
  const lag = Object.entries(snapshot.consumerLag)
    .filter(([, n]) => n > 0)
    .map(([g, n]) => `${g} ${n}`);
  return [
    outbox.length ? `outbox: ${outbox.join(', ')}` : '',
    lag.length ? `lag: ${lag.join(', ')}` : '',
    snapshot.attemptsDue ? `attempts due ${snapshot.attemptsDue}` : '',
    snapshot.attemptsOpen ? `attempts open ${snapshot.attemptsOpen}` : '',
    snapshot.deliveriesDue ? `deliveries due ${snapshot.deliveriesDue}` : '',
    snapshot.simulatorWebhooks ? `simulator webhooks ${snapshot.simulatorWebhooks}` : '',
    snapshot.clocksAdvancing ? `clocks advancing ${snapshot.clocksAdvancing}` : '',
    snapshot.errors.length ? `unreadable: ${snapshot.errors.join('; ')}` : '',
  ]
    .filter(Boolean)
    .join(' | ');
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), Math.floor(Math.random() * 1_000_000));
  const startedAt = Date.now();
  const phases: Record<string, number> = {};
  const phase = (name: string, since: number) => (phases[name] = Math.round((Date.now() - since) / 1000));
  const runId = `${options.seed}-${startedAt.toString(36)}`;
  const schedule = buildSchedule(
    options.seed,
    options.faults,
    options.payments,
    options.short,
    options.pspFaults,
    options.subscriptions > 0,
  );
  if (options.pspFaults.length > 0) log(`PSP-side faults: ${options.pspFaults.join(', ')}`);
  log(
    `seed ${options.seed}, ${options.payments} payments, ${options.subscriptions} subscriptions, concurrency ${options.concurrency}, ${schedule.length} fault(s):`,
  );
  for (const fault of schedule) log(`  at payment ${fault.atPayment}: ${describe(fault)}`);

  // Ctrl-C during set-up or the run still stops what was started.
  const started: { stop?: () => Promise<void> } = {};
  let producer: Producer | undefined;
  const interrupted = async () => {
    log('interrupted: stopping everything the harness started');
    await started.stop?.();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const unexpectedExits: string[] = [];
  const setupStarted = Date.now();
  const env = await startEnvironment({
    name: process.env['CHAOS_NAME'] ?? 'chaos',
    // Every port below Linux's ephemeral range (32768–60999): a port in it can be taken by some
    // outgoing connection while a killed service or stopped broker is down, and its restart then
    // fails with EADDRINUSE.
    postgresPort: Number(process.env['CHAOS_POSTGRES_PORT'] ?? 25432),
    kafkaPort: Number(process.env['CHAOS_KAFKA_PORT'] ?? 29092),
    servicePortBase: Number(process.env['CHAOS_PORT_BASE'] ?? 28080),
    seed: options.seed,
    runId,
    log,
    onStop: (stop) => (started.stop = stop),
    // PSP-side faults need the orchestrator's PSP timings scaled to the run; without them the
    // services keep their defaults, as before.
    settings: options.pspFaults.length > 0 ? pspTimingSettings() : undefined,
  });
  phase('setup', setupStarted);
  const { platform } = env;
  const admin = new Pool({ connectionString: env.toolEnv.DATABASE_URL, max: 3 });
  admin.on('error', () => undefined); // the cluster is stopped on purpose
  const kafka = createKafka('chaos-harness', env.toolEnv.KAFKA_BROKERS);
  const kafkaAdmin = kafka.admin();
  try {
    let restarting = 0;
    platform.onUnexpectedExit((name, code, signal) => {
      unexpectedExits.push(
        `${name} exited (code ${code}, signal ${signal}) at ${Math.round((Date.now() - startedAt) / 1000)} s`,
      );
      log(`${name} EXITED unexpectedly (code ${code}, signal ${signal}): restarting it`);
      restarting++;
      void platform
        .restart(name, 300_000)
        .catch((error) => log(`restart of ${name} failed: ${(error as Error).message}`))
        .finally(() => restarting--);
    });
    let retries = 0;
    const context = {
      gatewayUrl: platform.urls['gateway'],
      orchestratorUrl: platform.urls['orchestrator'],
      adminKey: platform.env['ADMIN_API_KEY'],
      internalToken: platform.env['INTERNAL_API_TOKEN'],
      runId,
      concurrency: options.concurrency,
      onRetry: () => retries++,
    };
    const merchantPlans = planMerchants(options.seed);
    const merchants = await createMerchants(context, merchantPlans);
    const runner = new FaultRunner(schedule, {
      cluster: env.cluster,
      broker: env.broker,
      restartService: (name) => platform.restart(name, 300_000),
      simulatorUrl: platform.urls['psp-simulator'],
      producer: async () => {
        if (!producer) {
          producer = kafka.producer();
          await producer.connect();
        }
        return producer;
      },
      poisonTopic: `${env.topicPrefix}${TOPICS.intents}`,
      seed: options.seed,
      log,
    });
    const faultsDone = runner.run();
    const workloadStarted = Date.now();
    let done = 0;
    let subscriptionsDone = 0;
    const progress = setInterval(() => {
      log(
        `progress: ${done}/${options.payments} payments, ${subscriptionsDone}/${options.subscriptions} subscriptions, ${retries} client retries, ${runner.injected.length}/${schedule.length} faults, ${Math.round((Date.now() - workloadStarted) / 1000)} s`,
      );
    }, 5_000);
    // The billing workload runs alongside the payments, each clock from a point of the payments on.
    const milestones = new PaymentMilestones();
    const billingDone = runBillingWorkload(
      { ...context, onProgress: (n) => (subscriptionsDone = n), log },
      merchants,
      planSubscriptions(options.seed, options.subscriptions, options.payments, merchants.length),
      milestones,
    );
    // Awaited after the payments; a failure of the payments first must not leave it unhandled.
    billingDone.catch(() => undefined);
    let results: PaymentResult[];
    let billing: BillingWorkloadResult;
    try {
      results = await runWorkload(
        {
          ...context,
          onPaymentStarting: (index) => {
            milestones.reached(index);
            return runner.paymentStarting(index);
          },
          onProgress: (n) => (done = n),
        },
        merchants,
        planPayments(options.seed, options.payments, merchants.length, {
          lastWordCards: options.pspFaults.length > 0,
          routes: merchantPlans.map((m) => m.providers),
        }),
      );
      runner.workloadFinished();
      milestones.finish();
      phase('workload', workloadStarted);
      billing = await billingDone;
      phase('billing_workload', workloadStarted);
      await faultsDone;
      phase('workload_and_faults', workloadStarted);
    } finally {
      milestones.finish();
      clearInterval(progress);
    }
    await producer?.disconnect();
    producer = undefined;

    log('waiting for quiescence');
    const quietStarted = Date.now();
    await kafkaAdmin.connect();
    let lastLogged = 0;
    const quiescence = await waitForQuiescence(
      () => takeSnapshot(admin, kafkaAdmin, env.topicPrefix, platform.urls['psp-simulator']),
      options.quiescenceTimeoutMs,
      (snapshot) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        log(`not quiet yet: ${summary(snapshot)}`);
      },
    );
    phase('quiescence', quietStarted);
    log(
      quiescence.quiet
        ? `quiet after ${Math.round(quiescence.waitedMs / 1000)} s`
        : `NOT quiet after ${Math.round(quiescence.waitedMs / 1000)} s: ${summary(quiescence.last)}`,
    );

    log('checking the invariants');
    const checkStarted = Date.now();
    const intents = await readIntents(admin);
    const facts = {
      intents,
      held: await readHeldPayments(platform.urls['psp-simulator']),
      captureEntries: await readCaptureEntries(admin),
      balances: await readBalances(admin),
      schedules: Object.fromEntries(
        merchants.map((m) => [m.id, { feeBps: m.plan.feeBps, feeFixed: m.plan.feeFixed }]),
      ),
      verify: await readVerify(platform.urls['ledger'], platform.env['INTERNAL_API_TOKEN']),
      deadLetters: await readDeadLetters(kafka, env.topicPrefix).catch((error: Error) => ({
        error: error.message,
      })),
      poisonInjected: schedule.reduce((sum, f) => sum + (f.kind === 'poison' ? f.count : 0), 0),
      replay: await runReplay(env.toolEnv),
      unexpectedExits,
      refunds: await readRefunds(admin),
      openAttempts: await readOpenAttempts(admin),
      overdueGauge: await readOverdueGauge(platform.urls['orchestrator']),
      suspense: await readSuspense(admin),
    };
    const billingFacts = {
      subscriptions: await readBillingSubscriptions(
        platform.urls['gateway'],
        new Map(merchants.map((m) => [m.id, m.apiKey])),
        billing.subscriptions,
      ),
      invoiceIntents: await readInvoiceIntents(admin),
      captureEntries: facts.captureEntries,
      clocks: await readTestClocks(admin),
    };
    const clientErrors = results.filter((r) => r.outcome === 'client_error');
    const invariants: InvariantResult[] = [
      ...evaluateInvariants(facts),
      ...evaluateBillingInvariants(billingFacts, billing.subscriptions),
      clientErrors.length === 0
        ? {
            name: 'workload_completed',
            verdict: 'pass',
            detail: `${results.length} lifecycles ran as planned`,
          }
        : {
            name: 'workload_completed',
            verdict: 'fail',
            detail: `${clientErrors.length} lifecycle(s) could not complete`,
            examples: clientErrors
              .slice(0, 10)
              .map((r) => `${r.index} ${r.intentId ?? ''}: ${r.detail ?? ''}`),
          },
    ];
    phase('invariants', checkStarted);
    for (const invariant of invariants)
      log(`${invariant.verdict.toUpperCase().padEnd(11)} ${invariant.name}: ${invariant.detail}`);
    const report = buildReport({
      options,
      results,
      subscriptions: billing.subscriptions,
      clockExtraAdvances: billing.clocks.reduce((sum, c) => sum + c.extraAdvances, 0),
      intents: intents.length,
      retries,
      faults: runner.injected,
      quiescence: {
        reached: quiescence.quiet,
        waited_s: Math.round(quiescence.waitedMs / 1000),
        ...(quiescence.quiet ? {} : { last: quiescence.last }),
      },
      invariants,
      startedAt,
      phases,
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.passed ? 0 : 1;
  } finally {
    await kafkaAdmin.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await admin.end().catch(() => undefined);
    log('stopping the platform, the broker and the cluster');
    await env.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`chaos: the harness failed: ${(error as Error).stack}\n`);
    process.exit(2);
  },
);
