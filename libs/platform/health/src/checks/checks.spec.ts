import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { kafkaConsumersCheck } from './kafka-consumers.check';
import { latchedCheck } from './latched.check';
import { postgresCheck } from './postgres.check';
import { redisCheck } from './redis.check';
import { relayCheck } from './relay.check';

function fakeDataSource(isInitialized: boolean, query: () => Promise<unknown>): DataSource {
  return { isInitialized, query } as unknown as DataSource;
}

describe('postgresCheck', () => {
  afterEach(() => jest.useRealTimers());

  it('is up when SELECT 1 answers', async () => {
    const query = jest.fn().mockResolvedValue([{ '?column?': 1 }]);
    const check = postgresCheck(fakeDataSource(true, query));

    expect(check.name).toBe('postgres');
    await expect(check.check()).resolves.toBe(true);
    expect(query).toHaveBeenCalledWith('SELECT 1');
  });

  it('is down without querying while the data source is not initialised', async () => {
    const query = jest.fn();

    await expect(postgresCheck(fakeDataSource(false, query)).check()).resolves.toBe(false);
    expect(query).not.toHaveBeenCalled();
  });

  it('fails when the query fails', async () => {
    const check = postgresCheck(
      fakeDataSource(true, () => Promise.reject(new Error('connection terminated'))),
    );

    await expect(check.check()).rejects.toThrow('connection terminated');
  });

  it('fails after its own timeout when no connection answers', async () => {
    jest.useFakeTimers();
    const check = postgresCheck(
      fakeDataSource(true, () => new Promise(() => undefined)),
      500,
    );
    const result = check.check();
    const assertion = expect(result).rejects.toThrow('SELECT 1 timed out after 500 ms');

    await jest.advanceTimersByTimeAsync(500);
    await assertion;
  });
});

describe('redisCheck', () => {
  it('is up when a connected client answers PONG', async () => {
    const ping = jest.fn().mockResolvedValue('PONG');

    await expect(redisCheck({ status: 'ready', ping } as unknown as Redis).check()).resolves.toBe(true);
  });

  it('is down at once, without a PING that would queue, when the client is not connected', async () => {
    const redis = new Redis({ lazyConnect: true });
    const ping = jest.spyOn(redis, 'ping');
    try {
      await expect(redisCheck(redis).check()).resolves.toBe(false);
      expect(ping).not.toHaveBeenCalled();
    } finally {
      redis.disconnect();
    }
  });
});

describe('kafkaConsumersCheck', () => {
  const server = (ready: boolean) => ({ isReady: () => ready });

  it('is up when every consumer has its partitions', () => {
    expect(kafkaConsumersCheck([server(true), server(true)]).check()).toBe(true);
  });

  it('is down when any consumer has not joined its group', () => {
    const check = kafkaConsumersCheck([server(true), server(false)]);

    expect(check.name).toBe('kafka');
    expect(check.check()).toBe(false);
  });
});

describe('relayCheck', () => {
  it('follows whether the relay runs', () => {
    expect(relayCheck({ isRunning: () => true }).check()).toBe(true);
    expect(relayCheck({ isRunning: () => false }).check()).toBe(false);
  });
});

describe('latchedCheck', () => {
  it('is down until the condition first holds, then stays up when it no longer does', async () => {
    let assigned = false;
    const check = latchedCheck(kafkaConsumersCheck([{ isReady: () => assigned }]));

    expect(check.name).toBe('kafka');
    await expect(check.check()).resolves.toBe(false);
    assigned = true;
    await expect(check.check()).resolves.toBe(true);
    assigned = false;
    await expect(check.check()).resolves.toBe(true);
  });

  it('stays down while the condition fails by throwing', async () => {
    const check = latchedCheck({ name: 'kafka', check: () => Promise.reject(new Error('no broker')) });

    await expect(check.check()).rejects.toThrow('no broker');
    await expect(check.check()).rejects.toThrow('no broker');
  });
});
