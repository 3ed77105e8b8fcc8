import { ArgumentsHost, Catch, ExceptionFilter, INestApplication, Module } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { relayCheck } from './checks/relay.check';
import { HealthModule } from './health.module';
import { ReadinessCheck } from './readiness-check';

const up = (name: string): ReadinessCheck => ({ name, check: () => true });
const down = (name: string): ReadinessCheck => ({ name, check: () => false });

/** Stands in for an app's global filter that wraps every error in its own envelope. */
@Catch()
class EnvelopeFilter implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(500)
      .json({ error: 'wrapped' });
  }
}

async function start(module: ReturnType<typeof HealthModule.forRoot>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new EnvelopeFilter());
  await app.init();
  return app;
}

describe('HealthModule', () => {
  let app: INestApplication;

  afterEach(() => app.close());

  it('answers /readyz 200 ready with every check up', async () => {
    app = await start(HealthModule.forRoot({ checks: [up('postgres'), up('redis'), up('kafka')] }));

    const response = await request(app.getHttpServer()).get('/readyz').expect(200);

    expect(response.body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up', kafka: 'up' } });
  });

  it('answers /readyz 503 not_ready naming the check that is down, past an app exception filter', async () => {
    app = await start(HealthModule.forRoot({ checks: [up('postgres'), down('kafka')] }));

    const response = await request(app.getHttpServer()).get('/readyz').expect(503);

    expect(response.body).toEqual({ status: 'not_ready', checks: { postgres: 'up', kafka: 'down' } });
  });

  it('answers /readyz 503 when a check hangs past the timeout', async () => {
    const hanging: ReadinessCheck = { name: 'redis', check: () => new Promise<boolean>(() => undefined) };
    app = await start(HealthModule.forRoot({ checks: [up('postgres'), hanging], checkTimeoutMs: 20 }));

    const response = await request(app.getHttpServer()).get('/readyz').expect(503);

    expect(response.body).toEqual({ status: 'not_ready', checks: { postgres: 'up', redis: 'down' } });
  });

  it('answers /healthz 200 ok even when dependencies are down', async () => {
    app = await start(HealthModule.forRoot({ checks: [down('postgres')] }));

    const response = await request(app.getHttpServer()).get('/healthz').expect(200);

    expect(response.body).toEqual({ status: 'ok' });
  });

  it('builds checks from injected app objects with forRootAsync', async () => {
    const relay = { running: false, isRunning: () => relay.running };
    @Module({ providers: [{ provide: 'RELAY', useValue: relay }], exports: ['RELAY'] })
    class RelayModule {}
    app = await start(
      HealthModule.forRootAsync({
        imports: [RelayModule],
        inject: ['RELAY'],
        useFactory: (injected: typeof relay) => [up('postgres'), relayCheck(injected)],
      }),
    );

    await request(app.getHttpServer())
      .get('/readyz')
      .expect(503, { status: 'not_ready', checks: { postgres: 'up', outbox_relay: 'down' } });
    relay.running = true;
    await request(app.getHttpServer())
      .get('/readyz')
      .expect(200, { status: 'ready', checks: { postgres: 'up', outbox_relay: 'up' } });
  });

  it('keeps the probes out of the OpenAPI document', async () => {
    app = await start(HealthModule.forRoot({ checks: [] }));

    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());

    expect(Object.keys(document.paths)).toEqual([]);
  });
});
