import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { BaseServiceConfig, loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { createKafka, ensureTopics } from '@payflow/platform/messaging';
import { TcpProxy, kafkaBrokers, uniqueName, waitFor, wireTopic } from '@payflow/platform/testing';
import { runService } from '../src';
import { ProbeServiceModule } from './support/probe-service';

/**
 * `/readyz` follows Postgres (DESIGN.md): red while the service cannot reach it, green again after,
 * and the process stays up throughout. The service's pool reaches Postgres through a proxy the
 * test cuts (connections reset, new ones refused) and restores.
 */
describe('readiness follows Postgres (real Postgres and Kafka)', () => {
  const kafka = createKafka(uniqueName('readiness'), kafkaBrokers());
  const topic = `test.${uniqueName('readiness')}`;
  const target = new URL(serviceDatabaseUrl('intents'));
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  let app: INestApplication | null = null;
  let base = '';

  beforeAll(async () => {
    await ensureTopics(kafka, [wireTopic(topic), wireTopic(`${topic}.dlq`)], 1);
    await proxy.start();
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const config = loadConfig(BaseServiceConfig, { ...process.env, DB_CONNECT_TIMEOUT_MS: '1000' });
    process.env['INTENTS_DATABASE_URL'] = viaProxy.toString();
    app = await runService(ProbeServiceModule.forRoot(config, topic), { service: 'intents', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    delete process.env['INTENTS_DATABASE_URL'];
    await proxy.cut();
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [wireTopic(topic), wireTopic(`${topic}.dlq`)] })
      .catch(() => undefined);
    await admin.disconnect();
  });

  async function probe(path: string): Promise<{ status: number; body: { checks?: Record<string, string> } }> {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as { checks?: Record<string, string> } };
  }

  it('is red while Postgres is unreachable and green again once it answers', async () => {
    await waitFor(async () => (await probe('/readyz')).status === 200, {
      timeoutMs: 60_000,
      what: 'ready after start-up',
    });

    await proxy.cut();
    const down = await waitFor(
      async () => {
        const result = await probe('/readyz');
        return result.status === 503 ? result : null;
      },
      { timeoutMs: 15_000, what: '/readyz to turn red' },
    );
    expect(down.body.checks).toEqual({ postgres: 'down', outbox_relay: 'up', kafka: 'up' });
    expect((await probe('/healthz')).status).toBe(200);

    await proxy.restore();
    const up = await waitFor(
      async () => {
        const result = await probe('/readyz');
        return result.status === 200 ? result : null;
      },
      { timeoutMs: 15_000, what: '/readyz to turn green again' },
    );
    expect(up.body.checks).toEqual({ postgres: 'up', outbox_relay: 'up', kafka: 'up' });
  });
});
