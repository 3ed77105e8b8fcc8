import { DunningFixture, newKey, newMerchant } from './dunning-fixture';

const DEFAULTS = { object: 'dunning_settings', retry_schedule_days: [1, 3, 5, 7, 10, 12, 14], final_action: 'cancel', mark_uncollectible: false };

/**
 * `GET|POST /internal/v1/dunning_settings` as the gateway calls it (API.md "Dunning settings"):
 * defaults until changed, only the fields given change, validation naming the field with nothing
 * written, merchant isolation, durable idempotency.
 */
describe('dunning: settings', () => {
  const fx = new DunningFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const rows = async (merchant: string) =>
    (await fx.db.query(`SELECT count(*)::int AS n FROM dunning_settings WHERE merchant_id = $1`, [merchant])).rows[0].n;

  it('answers the defaults to a merchant that never changed them, and writes nothing', async () => {
    const merchant = newMerchant();
    const answer = await fx.call('GET', '/dunning_settings', { merchant });
    expect(answer).toMatchObject({ status: 200, body: DEFAULTS });
    expect(await rows(merchant)).toBe(0);
  });

  it('changes only the fields given, keeps them, and another merchant still has the defaults', async () => {
    const merchant = newMerchant();
    const other = newMerchant();
    const first = await fx.call('POST', '/dunning_settings', { merchant, body: { final_action: 'mark_unpaid' } });
    expect(first).toMatchObject({ status: 200, body: { ...DEFAULTS, final_action: 'mark_unpaid' } });
    const second = await fx.call('POST', '/dunning_settings', {
      merchant,
      body: { retry_schedule_days: [2, 4, 8], mark_uncollectible: true },
    });
    const changed = { ...DEFAULTS, retry_schedule_days: [2, 4, 8], final_action: 'mark_unpaid', mark_uncollectible: true };
    expect(second).toMatchObject({ status: 200, body: changed });
    expect((await fx.call('GET', '/dunning_settings', { merchant })).body).toEqual(changed);
    expect((await fx.call('GET', '/dunning_settings', { merchant: other })).body).toEqual(DEFAULTS);
  });

  it('refuses bad settings with a 400 naming the field, and writes nothing', async () => {
    const merchant = newMerchant();
    const cases: [unknown, string][] = [
      [{ retry_schedule_days: [] }, 'retry_schedule_days'],
      [{ retry_schedule_days: [3, 1] }, 'retry_schedule_days'],
      [{ retry_schedule_days: [1, 1] }, 'retry_schedule_days'],
      [{ retry_schedule_days: [0, 2] }, 'retry_schedule_days'],
      [{ retry_schedule_days: [1, 61] }, 'retry_schedule_days'],
      [{ retry_schedule_days: [1.5] }, 'retry_schedule_days'],
      [{ retry_schedule_days: Array.from({ length: 13 }, (_, i) => i + 1) }, 'retry_schedule_days'],
      [{ retry_schedule_days: '1,3,5' }, 'retry_schedule_days'],
      [{ final_action: 'delete' }, 'final_action'],
      [{ mark_uncollectible: 'yes' }, 'mark_uncollectible'],
      [{ retries: [1] }, 'retries'],
    ];
    for (const [body, param] of cases) {
      const answer = await fx.call('POST', '/dunning_settings', { merchant, body });
      expect({ body, status: answer.status, param: answer.body.error?.param }).toEqual({ body, status: 400, param });
    }
    const malformed = await fx.call('POST', '/dunning_settings', { merchant, rawBody: '{"final_action":' });
    expect(malformed.status).toBe(400);
    expect(await rows(merchant)).toBe(0);
    expect((await fx.call('GET', '/dunning_settings', { merchant })).body).toEqual(DEFAULTS);
  });

  it('the largest schedule the API allows is accepted (12 retries, day 60)', async () => {
    const merchant = newMerchant();
    const days = [1, 2, 3, 5, 8, 13, 21, 30, 40, 50, 55, 60];
    const answer = await fx.call('POST', '/dunning_settings', { merchant, body: { retry_schedule_days: days } });
    expect(answer).toMatchObject({ status: 200, body: { retry_schedule_days: days } });
  });

  it('replays a POST with the same Idempotency-Key, and refuses the key with another body', async () => {
    const merchant = newMerchant();
    const key = newKey();
    const headers = { 'idempotency-key': key };
    const first = await fx.call('POST', '/dunning_settings', { merchant, body: { final_action: 'leave_past_due' }, headers });
    expect(first.status).toBe(200);
    // Changed meanwhile without the key: the replay still answers what the first call answered.
    await fx.call('POST', '/dunning_settings', { merchant, body: { final_action: 'cancel' } });
    const replay = await fx.call('POST', '/dunning_settings', { merchant, body: { final_action: 'leave_past_due' }, headers });
    expect(replay).toMatchObject({ status: 200, body: first.body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await fx.call('GET', '/dunning_settings', { merchant })).body.final_action).toBe('cancel');
    const reused = await fx.call('POST', '/dunning_settings', { merchant, body: { final_action: 'mark_unpaid' }, headers });
    expect(reused.status).toBe(422);
  });

  it('needs the internal token and the merchant header', async () => {
    const noMerchant = await fx.call('GET', '/dunning_settings');
    expect(noMerchant.status).toBe(401);
    const response = await fetch(`${fx.url}/internal/v1/dunning_settings`, { headers: { 'x-merchant-id': newMerchant() } });
    expect(response.status).toBe(401);
  });
});
