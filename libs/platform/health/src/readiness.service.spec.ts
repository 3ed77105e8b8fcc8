import { Logger } from '@nestjs/common';
import { DEFAULT_CHECK_TIMEOUT_MS } from './health-options';
import { ReadinessCheck } from './readiness-check';
import { ReadinessService } from './readiness.service';

const up = (name: string): ReadinessCheck => ({ name, check: () => true });
const down = (name: string): ReadinessCheck => ({ name, check: async () => false });
const hanging = (name: string): ReadinessCheck => ({
  name,
  check: () => new Promise<boolean>(() => undefined),
});

describe('ReadinessService', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('is ready when every check is up', async () => {
    const service = new ReadinessService([up('postgres'), up('kafka')], DEFAULT_CHECK_TIMEOUT_MS);

    await expect(service.check()).resolves.toEqual({ ready: true, checks: { postgres: 'up', kafka: 'up' } });
  });

  it('is not ready when one check reports false, and names it down', async () => {
    const service = new ReadinessService([up('postgres'), down('kafka')], DEFAULT_CHECK_TIMEOUT_MS);

    await expect(service.check()).resolves.toEqual({
      ready: false,
      checks: { postgres: 'up', kafka: 'down' },
    });
  });

  it('reports an optional check down without making the service unready', async () => {
    const service = new ReadinessService(
      [up('postgres'), { ...down('redis'), optional: true }],
      DEFAULT_CHECK_TIMEOUT_MS,
    );

    await expect(service.check()).resolves.toEqual({ ready: true, checks: { postgres: 'up', redis: 'down' } });
  });

  it('counts a check that rejects or throws synchronously as down', async () => {
    const service = new ReadinessService(
      [
        { name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) },
        {
          name: 'outbox_relay',
          check: () => {
            throw new Error('boom');
          },
        },
        up('postgres'),
      ],
      DEFAULT_CHECK_TIMEOUT_MS,
    );

    await expect(service.check()).resolves.toEqual({
      ready: false,
      checks: { redis: 'down', outbox_relay: 'down', postgres: 'up' },
    });
  });

  it('counts a check that never answers as down once the timeout passes, running checks in parallel', async () => {
    jest.useFakeTimers();
    const service = new ReadinessService([hanging('postgres'), hanging('redis'), up('kafka')], 2_000);
    let settled = false;
    const report = service.check().finally(() => (settled = true));

    await jest.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    // One timeout period for all checks together, not one per check.
    await jest.advanceTimersByTimeAsync(1);

    await expect(report).resolves.toEqual({
      ready: false,
      checks: { postgres: 'down', redis: 'down', kafka: 'up' },
    });
  });

  it('logs when a check goes down and when it recovers, not on every probe', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    let healthy = false;
    const service = new ReadinessService([{ name: 'redis', check: () => healthy }], DEFAULT_CHECK_TIMEOUT_MS);

    await service.check();
    await service.check();
    healthy = true;
    await service.check();

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('Readiness check redis is down: reported not ready');
    expect(log).toHaveBeenCalledWith('Readiness check redis is up again');
  });

  it('refuses two checks with the same name (one would hide the other in the report)', () => {
    expect(() => new ReadinessService([up('postgres'), down('postgres')], DEFAULT_CHECK_TIMEOUT_MS)).toThrow(
      'Readiness check "postgres" is registered twice',
    );
  });
});
