import { Logger } from '@nestjs/common';
import { GracefulShutdown, ShutdownParts } from './graceful-shutdown';

function fakeHttp(steps: string[]): NonNullable<ShutdownParts['http']> {
  return {
    close: ((callback?: () => void) => {
      steps.push('http: stop accepting');
      callback?.();
    }) as never,
    closeIdleConnections: () => undefined,
    closeAllConnections: () => undefined,
  };
}

const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('GracefulShutdown', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('stops HTTP and consumers, lets handlers finish, flushes the relay, then closes the app', async () => {
    const steps: string[] = [];
    const shutdown = new GracefulShutdown(
      {
        http: fakeHttp(steps),
        consumers: { close: async () => void steps.push('consumers closed (handlers finished)') },
        relay: { stop: async () => void steps.push('relay flushed') },
        closeApp: async () => void steps.push('app and pools closed'),
        flushTelemetry: async () => void steps.push('telemetry flushed'),
      },
      10_000,
    );

    await shutdown.run();

    expect(steps).toEqual([
      'http: stop accepting',
      'consumers closed (handlers finished)',
      'relay flushed',
      'app and pools closed',
      'telemetry flushed',
    ]);
  });

  it('flushes the relay only after in-flight HTTP requests have finished', async () => {
    const steps: string[] = [];
    let finishRequest = (): void => undefined;
    const http = {
      close: ((callback: () => void) =>
        (finishRequest = () => (steps.push('last request answered'), callback()))) as never,
      closeIdleConnections: () => undefined,
      closeAllConnections: () => undefined,
    };
    const shutdown = new GracefulShutdown(
      {
        http,
        relay: { stop: async () => void steps.push('relay flushed') },
        closeApp: async () => undefined,
      },
      10_000,
    );

    const run = shutdown.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual([]);
    finishRequest();
    await run;

    expect(steps).toEqual(['last request answered', 'relay flushed']);
  });

  it('finishes within its timeout when consumers and the app never close (Kafka, Postgres unreachable)', async () => {
    jest.useFakeTimers();
    const relayBudgets: number[] = [];
    const shutdown = new GracefulShutdown(
      {
        consumers: { close: never },
        relay: { stop: async (timeoutMs) => void relayBudgets.push(timeoutMs) },
        closeApp: never,
      },
      10_000,
    );
    let finished = false;
    const run = shutdown.run().then(() => (finished = true));

    await jest.advanceTimersByTimeAsync(9_999);
    expect(finished).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await run;

    expect(finished).toBe(true);
    // The consumers got all but 2 s; the relay gets 1 s of that, closing the app the last second.
    expect(relayBudgets).toEqual([1_000]);
  });

  it('runs once however often it is asked', async () => {
    const closeApp = jest.fn().mockResolvedValue(undefined);
    const shutdown = new GracefulShutdown({ closeApp }, 1_000);

    await Promise.all([shutdown.run(), shutdown.run()]);

    expect(closeApp).toHaveBeenCalledTimes(1);
  });
});
