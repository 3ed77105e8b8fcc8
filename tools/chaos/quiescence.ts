/**
 * Quiescence: every outbox drained, every consumer group's lag 0, nothing due in any scheduler,
 * no test clock advancing, the simulator's webhook queue empty. The harness waits for it (two quiet snapshots in a row)
 * within a bound before it checks the invariants.
 */
import { AssignerProtocol, type Admin } from 'kafkajs';
import type { Pool } from 'pg';

export const OUTBOX_SCHEMAS = [
  'gateway',
  'intents',
  'orchestrator',
  'ledger',
  'webhooks',
  'billing',
  'dunning',
] as const;

export interface QuiescenceSnapshot {
  /** Unpublished outbox rows per schema. */
  outbox: Record<string, number>;
  /** Messages not yet consumed per consumer group. */
  consumerLag: Record<string, number>;
  /** Orchestrator attempts due (pending or unknown with next_attempt_at passed). */
  attemptsDue: number;
  /**
   * Orchestrator attempts still open (pending or unknown), due or not: one waiting for its webhook
   * or its next retrieve settles later. Adyen operations overdue for their notification are left
   * out: Adyen has no read call, so they wait as long as the PSP does (the invariants check they are
   * counted in psp_operations_overdue), and the simulator's queue says whether that word is coming.
   */
  attemptsOpen: number;
  /** Merchant webhook deliveries due. */
  deliveriesDue: number;
  /** Webhooks the simulator still has to deliver. */
  simulatorWebhooks: number;
  /** Billing's test clocks still advancing (their saga waits for payments and dunning). */
  clocksAdvancing: number;
  /** What could not be read (the reading is then not quiet). */
  errors: string[];
}

export function isQuiet(snapshot: QuiescenceSnapshot): boolean {
  return (
    snapshot.errors.length === 0 &&
    Object.values(snapshot.outbox).every((n) => n === 0) &&
    Object.values(snapshot.consumerLag).every((n) => n === 0) &&
    snapshot.attemptsDue === 0 &&
    snapshot.attemptsOpen === 0 &&
    snapshot.deliveriesDue === 0 &&
    snapshot.simulatorWebhooks === 0 &&
    snapshot.clocksAdvancing === 0
  );
}

/** Lag of one partition: what is after the committed offset (everything when nothing is committed). */
export function partitionLag(committed: string, low: string, high: string): number {
  const from = Number(committed) < 0 ? Number(low) : Number(committed);
  return Math.max(0, Number(high) - from);
}

async function count(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0].n;
}

async function consumerLag(admin: Admin, prefix: string): Promise<Record<string, number>> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
  const described = ours.length > 0 ? (await admin.describeGroups(ours)).groups : [];
  const highs = new Map<string, { partition: number; high: string; low: string }[]>();
  const offsetsOf = async (topic: string) => {
    if (!highs.has(topic)) highs.set(topic, await admin.fetchTopicOffsets(topic));
    return highs.get(topic)!;
  };
  const lag: Record<string, number> = {};
  for (const group of described) {
    const subscribed = new Set<string>();
    for (const member of group.members) {
      const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
      for (const topic of metadata?.topics ?? []) subscribed.add(topic);
    }
    const committed = await admin.fetchOffsets({ groupId: group.groupId });
    for (const { topic } of committed) subscribed.add(topic);
    const topics = [...subscribed];
    if (topics.length === 0) continue;
    const offsets = await admin.fetchOffsets({ groupId: group.groupId, topics });
    let total = 0;
    for (const { topic, partitions } of offsets) {
      const ends = await offsetsOf(topic);
      for (const { partition, offset } of partitions) {
        const end = ends.find((e) => e.partition === partition);
        if (end) total += partitionLag(offset, end.low, end.high);
      }
    }
    lag[group.groupId] = total;
  }
  return lag;
}

export async function takeSnapshot(
  pool: Pool,
  admin: Admin,
  prefix: string,
  simulatorUrl: string,
): Promise<QuiescenceSnapshot> {
  const snapshot: QuiescenceSnapshot = {
    outbox: {},
    consumerLag: {},
    attemptsDue: 0,
    attemptsOpen: 0,
    deliveriesDue: 0,
    simulatorWebhooks: 0,
    clocksAdvancing: 0,
    errors: [],
  };
  const attempt = async (what: string, read: () => Promise<void>) => {
    try {
      await read();
    } catch (error) {
      snapshot.errors.push(`${what}: ${(error as Error).message}`);
    }
  };
  for (const schema of OUTBOX_SCHEMAS) {
    await attempt(`${schema} outbox`, async () => {
      snapshot.outbox[schema] = await count(
        pool,
        `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`,
      );
    });
  }
  await attempt('consumer lag', async () => {
    snapshot.consumerLag = await consumerLag(admin, prefix);
  });
  await attempt('orchestrator attempts', async () => {
    snapshot.attemptsDue = await count(
      pool,
      `SELECT count(*)::int AS n FROM orchestrator.attempts WHERE status IN ('pending', 'unknown') AND next_attempt_at <= now()`,
    );
    snapshot.attemptsOpen = await count(
      pool,
      `SELECT count(*)::int AS n FROM orchestrator.attempts
        WHERE status IN ('pending', 'unknown') AND NOT (provider = 'adyen' AND overdue_since IS NOT NULL)`,
    );
  });
  await attempt('webhook deliveries', async () => {
    snapshot.deliveriesDue = await count(
      pool,
      `SELECT count(*)::int AS n FROM webhooks.webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()`,
    );
  });
  await attempt('test clocks', async () => {
    snapshot.clocksAdvancing = await count(
      pool,
      `SELECT count(*)::int AS n FROM billing.test_clocks WHERE status = 'advancing' AND deleted_at IS NULL`,
    );
  });
  await attempt('simulator webhooks', async () => {
    const response = await fetch(`${simulatorUrl}/_simulator/inspection/webhooks`);
    const body = (await response.json()) as Record<string, { pending: number }>;
    snapshot.simulatorWebhooks = Object.values(body).reduce((sum, p) => sum + p.pending, 0);
  });
  return snapshot;
}

export async function waitForQuiescence(
  read: () => Promise<QuiescenceSnapshot>,
  timeoutMs: number,
  onWaiting?: (snapshot: QuiescenceSnapshot) => void,
): Promise<{ quiet: boolean; waitedMs: number; last: QuiescenceSnapshot }> {
  const started = Date.now();
  let quietInARow = 0;
  for (;;) {
    const last = await read();
    quietInARow = isQuiet(last) ? quietInARow + 1 : 0;
    if (quietInARow >= 2) return { quiet: true, waitedMs: Date.now() - started, last };
    if (Date.now() - started > timeoutMs) return { quiet: false, waitedMs: Date.now() - started, last };
    if (quietInARow === 0) onWaiting?.(last);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
