/**
 * Postgres stopped for 30 s under load, then started again (issue 9, "Tests"). Runs on the chaos
 * harness's own Postgres cluster and Kafka broker (tools/chaos), so stopping them disturbs nothing
 * else on the machine: no service process exits, each service's /readyz is red during the outage
 * and green after, nothing is dead-lettered, every intent settles and the book verifies.
 */
import { Pool } from 'pg';
import { waitFor } from '@payflow/platform/testing';
// tools/ is workspace tooling, not a project: the test drives the chaos harness's building blocks.
/* eslint-disable @nx/enforce-module-boundaries */
import { startEnvironment, type ChaosEnvironment } from '../../tools/chaos/environment';
import {
  readDeadLetters,
  readIntents,
  readOpenAttempts,
  readOverdueGauge,
  readRefunds,
  readVerify,
} from '../../tools/chaos/facts';
import { noIntentInFlight } from '../../tools/chaos/invariants';
import { isQuiet, takeSnapshot } from '../../tools/chaos/quiescence';
import { createMerchants, runWorkload, type PaymentResult } from '../../tools/chaos/workload';
import { planMerchants, planPayments } from '../../tools/chaos/workload-plan';
import { createKafka } from '@payflow/platform/messaging';
/* eslint-enable @nx/enforce-module-boundaries */

const SEED = 30;
const OUTAGE_MS = 30_000;
const PAYMENTS = 240;
const STOP_AT_PAYMENT = 40;
/** The services with a database: the simulator has none, so its readiness does not follow Postgres. */
const DATABASE_SERVICES = ['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks'];

jest.setTimeout(900_000);

describe('Postgres stopped for 30 s under load', () => {
  let environment: ChaosEnvironment;
  let admin: Pool;
  const exits: string[] = [];

  beforeAll(async () => {
    environment = await startEnvironment({
      name: 'chaos-e2e',
      postgresPort: 25532,
      kafkaPort: 29192,
      servicePortBase: 28180,
      seed: SEED,
      runId: `pg-outage-${Date.now().toString(36)}`,
      log: () => undefined,
    });
    environment.platform.onUnexpectedExit((name, code, signal) =>
      exits.push(`${name} (code ${code}, signal ${signal})`),
    );
    admin = new Pool({ connectionString: environment.toolEnv.DATABASE_URL, max: 2 });
    admin.on('error', () => undefined); // the cluster is stopped on purpose
  });

  afterAll(async () => {
    await admin?.end();
    await environment?.stop();
  });

  const readiness = async (): Promise<Record<string, number>> => {
    const statuses: Record<string, number> = {};
    for (const name of DATABASE_SERVICES) {
      statuses[name] = await fetch(`${environment.platform.urls[name]}/readyz`, {
        signal: AbortSignal.timeout(5_000),
      })
        .then((r) => r.status)
        .catch(() => 0);
    }
    return statuses;
  };

  it('waits the outage out: no exit, readiness red then green, nothing dead-lettered, every intent settled, the book verified', async () => {
    const { platform, cluster } = environment;
    const context = {
      gatewayUrl: platform.urls['gateway'],
      orchestratorUrl: platform.urls['orchestrator'],
      adminKey: platform.env['ADMIN_API_KEY'],
      internalToken: platform.env['INTERNAL_API_TOKEN'],
      runId: `pg-outage-${SEED}`,
      concurrency: 8,
    };
    const merchants = await createMerchants(context, planMerchants(SEED, 4));
    let started = 0;
    let retriesDuringOutage = 0;
    let outage = false;
    const load: Promise<PaymentResult[]> = runWorkload(
      {
        ...context,
        onPaymentStarting: (index) => void (started = Math.max(started, index + 1)),
        onRetry: () => void (outage && retriesDuringOutage++),
      },
      merchants,
      planPayments(SEED, PAYMENTS, merchants.length),
    );

    await waitFor(() => started >= STOP_AT_PAYMENT, {
      timeoutMs: 300_000,
      what: `${STOP_AT_PAYMENT} payments under way`,
    });
    cluster.stop();
    outage = true;
    const stoppedAt = Date.now();
    const red = await waitFor(
      async () => {
        const statuses = await readiness();
        return Object.values(statuses).every((status) => status !== 200) ? statuses : null;
      },
      {
        timeoutMs: OUTAGE_MS - 5_000,
        intervalMs: 500,
        what: 'every service /readyz red while Postgres is down',
      },
    );
    expect(Object.keys(red)).toEqual(DATABASE_SERVICES);
    // The outage itself lasts 30 s: this wait is the fault being injected, not synchronisation.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    cluster.start();
    outage = false;
    // Payments were flowing into the outage: merchants' calls failed and were retried with their keys.
    expect(retriesDuringOutage).toBeGreaterThan(0);
    await waitFor(async () => Object.values(await readiness()).every((status) => status === 200), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'every service /readyz green after Postgres is back',
    });

    const results = await load;
    expect(results.filter((r) => r.outcome === 'client_error').map((r) => `${r.index}: ${r.detail}`)).toEqual(
      [],
    );

    const kafka = createKafka('postgres-outage-test', environment.toolEnv.KAFKA_BROKERS);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    try {
      await waitFor(
        async () =>
          isQuiet(
            await takeSnapshot(admin, kafkaAdmin, environment.topicPrefix, platform.urls['psp-simulator']),
          ),
        { timeoutMs: 300_000, intervalMs: 2_000, what: 'quiescence (outboxes drained, no lag, nothing due)' },
      );
    } finally {
      await kafkaAdmin.disconnect();
    }

    expect(exits).toEqual([]);
    for (const name of Object.keys(platform.urls))
      expect({ name, exitCode: platform.processOf(name)?.exitCode }).toEqual({ name, exitCode: null });
    expect(await readDeadLetters(kafka, environment.topicPrefix)).toEqual([]);
    const intents = await readIntents(admin);
    expect(intents.length).toBe(PAYMENTS);
    const settled = noIntentInFlight({
      intents,
      refunds: await readRefunds(admin),
      openAttempts: await readOpenAttempts(admin),
      overdueGauge: await readOverdueGauge(platform.urls['orchestrator']),
    } as Parameters<typeof noIntentInFlight>[0]);
    expect(settled.examples ?? []).toEqual([]);
    const verify = await readVerify(platform.urls['ledger'], platform.env['INTERNAL_API_TOKEN']);
    expect(verify).toMatchObject({ balanced: true, violations: [] });
  });
});
