import { randomBytes } from 'node:crypto';
import { CURRENCY_CODES, TOPICS, currencyExponent, validateEvent } from '@payflow/contracts';
import { waitFor } from '@payflow/platform/testing';
import { MerchantAnnouncer } from '../src/merchants/merchant-announcer';
import { ADMIN_KEY, GatewayFixture } from './gateway-fixture';

interface OutboxRow {
  topic: string;
  message_key: string;
  event_type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  published_at: Date | null;
}

/** merchant.created / merchant.updated through the gateway's outbox, and the backfill of older merchants. */
describe('gateway: merchant events', () => {
  const gw = new GatewayFixture();

  beforeAll(() => gw.start());
  afterAll(() => gw.stop());

  const outboxOf = (merchantId: string): Promise<OutboxRow[]> =>
    gw.db.query(
      `SELECT topic, message_key, event_type, payload, published_at FROM outbox WHERE message_key = $1 ORDER BY id`,
      [merchantId],
    );

  it('writes merchant.created with the merchant creation, and the relay publishes it', async () => {
    const merchant = await gw.createMerchant({
      name: 'Evented',
      fee_bps: 250,
      fee_fixed: { usd: 30, JPY: 0 },
    });
    const [row] = await outboxOf(merchant.id);
    expect(row).toMatchObject({
      topic: TOPICS.gateway,
      message_key: merchant.id,
      event_type: 'merchant.created',
    });
    expect(validateEvent(row.payload).ok).toBe(true);
    expect(row.payload).toMatchObject({
      type: 'merchant.created',
      source: 'gateway',
      aggregate_type: 'merchant',
      aggregate_id: merchant.id,
      aggregate_version: 1,
      merchant_id: merchant.id,
      data: { id: merchant.id, name: 'Evented', fee_bps: 250, fee_fixed: { JPY: 0, USD: 30 }, version: 1 },
    });
    expect(JSON.stringify(row.payload)).not.toContain(merchant.api_key);
    await waitFor(async () => (await outboxOf(merchant.id))[0].published_at, {
      what: 'the relay to publish',
    });
  });

  it('spells out the default fixed fees: 30 in every currency of exponent 2', async () => {
    const merchant = await gw.createMerchant({ name: 'Defaults' });
    const [row] = await outboxOf(merchant.id);
    const expected = CURRENCY_CODES.filter((code) => currencyExponent(code) === 2);
    expect(Object.keys(row.payload.data.fee_fixed).sort()).toEqual([...expected].sort());
    expect(row.payload.data.fee_fixed.USD).toBe(30);
    expect(row.payload.data.fee_fixed.JPY).toBeUndefined();
    expect(row.payload.data.fee_bps).toBe(290);
  });

  it('POST /admin/merchants/{id} changes the schedule, writes merchant.updated (version 2) and the audit log', async () => {
    const merchant = await gw.createMerchant({ name: 'Before', fee_bps: 290 });
    const answer = await gw.request('POST', `/admin/merchants/${merchant.id}`, {
      key: ADMIN_KEY,
      body: { name: 'After', fee_bps: 150, fee_fixed: { eur: 10 } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: merchant.id,
      object: 'merchant',
      name: 'After',
      fee_bps: 150,
      fee_fixed: { EUR: 10 },
    });

    const rows = await outboxOf(merchant.id);
    expect(rows.map((r) => [r.event_type, r.payload.data.version, r.payload.aggregate_version])).toEqual([
      ['merchant.created', 1, 1],
      ['merchant.updated', 2, 2],
    ]);
    expect(rows[1].payload.data).toEqual({
      id: merchant.id,
      name: 'After',
      fee_bps: 150,
      fee_fixed: { EUR: 10 },
      version: 2,
    });
    expect(rows[1].payload.causation_id).toBe(answer.headers.get('request-id'));

    // The forwarded schedule follows at once on this replica (its authentication cache is dropped).
    gw.intents.answer(() => ({ status: 200, body: { object: 'list', data: [], has_more: false } }));
    await gw.request('GET', '/v1/payment_intents', { key: merchant.api_key });
    expect(JSON.parse(gw.intents.received.at(-1)!.headers['x-merchant-fee-schedule'] as string)).toEqual({
      fee_bps: 150,
      fee_fixed: { EUR: 10 },
    });

    const audits = await gw.db.query(
      `SELECT action, details FROM admin_audit_log WHERE target = $1 AND action = 'merchant.updated'`,
      [merchant.id],
    );
    expect(audits).toEqual([
      {
        action: 'merchant.updated',
        details: {
          version: 2,
          changes: {
            name: { from: 'Before', to: 'After' },
            fee_bps: { from: 290, to: 150 },
            fee_fixed: { from: null, to: { EUR: 10 } },
          },
        },
      },
    ]);

    // Back to the default fixed fees with null; a request that changes nothing writes no event.
    const reset = await gw.request('POST', `/admin/merchants/${merchant.id}`, {
      key: ADMIN_KEY,
      body: { fee_fixed: null },
    });
    expect(reset.body.fee_fixed).toBeNull();
    const same = await gw.request('POST', `/admin/merchants/${merchant.id}`, {
      key: ADMIN_KEY,
      body: { name: 'After' },
    });
    expect(same.status).toBe(200);
    const after = await outboxOf(merchant.id);
    expect(after.map((r) => r.payload.data.version)).toEqual([1, 2, 3]);
    expect(after[2].payload.data.fee_fixed.USD).toBe(30);
  });

  it('refuses a bad update with 400 naming the field, an unknown merchant with 404, a merchant key with 401', async () => {
    const merchant = await gw.createMerchant();
    const cases: [string, unknown, number, string?][] = [
      [`/admin/merchants/${merchant.id}`, { fee_bps: 10_001 }, 400, 'fee_bps'],
      [`/admin/merchants/${merchant.id}`, { name: '  ' }, 400, 'name'],
      [`/admin/merchants/${merchant.id}`, { fee_fixed: { XYZ: 1 } }, 400, 'fee_fixed'],
      [`/admin/merchants/${merchant.id}`, { api_key: 'sk_test_x' }, 400, 'api_key'],
      ['/admin/merchants/mer_doesnotexist000', { name: 'x' }, 404],
      ['/admin/merchants/acct_1', { name: 'x' }, 404],
    ];
    for (const [path, body, status, param] of cases) {
      const answer = await gw.request('POST', path, { key: ADMIN_KEY, body });
      expect([path, answer.status]).toEqual([path, status]);
      if (param) expect(answer.body.error.param).toBe(param);
    }
    expect(
      (
        await gw.request('POST', `/admin/merchants/${merchant.id}`, {
          key: merchant.api_key,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(401);
    expect((await outboxOf(merchant.id)).length).toBe(1);
  });

  it('backfills merchants that existed before the events: merchant.created at their version, once', async () => {
    const id = `mer_${randomBytes(8).toString('hex')}`;
    await gw.db.query(
      `INSERT INTO merchants (id, name, fee_bps, fee_fixed, created_at, updated_at, version, announced_version)
       VALUES ($1, 'Old merchant', 200, '{"GBP": 20}', now(), now(), 1, 0)`,
      [id],
    );
    const announcer = gw.app.get(MerchantAnnouncer);
    expect(await announcer.announcePending()).toBeGreaterThanOrEqual(1);
    expect(await announcer.announcePending()).toBe(0);
    const rows = await outboxOf(id);
    expect(rows.map((r) => r.event_type)).toEqual(['merchant.created']);
    expect(rows[0].payload.data).toEqual({
      id,
      name: 'Old merchant',
      fee_bps: 200,
      fee_fixed: { GBP: 20 },
      version: 1,
    });
    const [merchant] = await gw.db.query(`SELECT version, announced_version FROM merchants WHERE id = $1`, [
      id,
    ]);
    expect(merchant).toEqual({ version: 1, announced_version: 1 });

    // A never-announced merchant changed through the admin API gets its created event first.
    const later = `mer_${randomBytes(8).toString('hex')}`;
    await gw.db.query(
      `INSERT INTO merchants (id, name, fee_bps, fee_fixed, created_at, updated_at, version, announced_version)
       VALUES ($1, 'Older', 290, NULL, now(), now(), 1, 0)`,
      [later],
    );
    await gw.request('POST', `/admin/merchants/${later}`, { key: ADMIN_KEY, body: { fee_bps: 100 } });
    expect((await outboxOf(later)).map((r) => [r.event_type, r.payload.data.version])).toEqual([
      ['merchant.created', 1],
      ['merchant.updated', 2],
    ]);
  });
});
