import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { outboxLagSeconds } from '../platform-metrics';
import { MetricsServer } from './metrics-server';
import { MetricsModule } from './metrics.module';

async function start(module: ReturnType<typeof MetricsModule.forService>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('MetricsModule', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('without a Prometheus port', () => {
    it('serves the default registry at /metrics on the app, labelled with the service', async () => {
      app = await start(MetricsModule.forService('intents'));
      outboxLagSeconds.set({ service: 'intents' }, 3);

      const response = await request(app.getHttpServer()).get('/metrics').expect(200);

      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toMatch(/^process_cpu_user_seconds_total\{service="intents"\} /m);
      expect(response.text).toMatch(/^outbox_lag_seconds\{service="intents"\} 3$/m);
    });

    it('keeps /metrics out of the OpenAPI document', async () => {
      app = await start(MetricsModule.forService('intents'));

      const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());

      expect(Object.keys(document.paths)).not.toContain('/metrics');
    });

    it('can be built twice in one process (default metrics are registered once)', async () => {
      app = await start(MetricsModule.forService('ledger'));
      await app.close();
      app = await start(MetricsModule.forService('ledger'));

      const response = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(response.text).toMatch(/^process_cpu_user_seconds_total\{service="ledger"\} /m);
    });
  });

  describe('with a Prometheus port', () => {
    it('serves /metrics on its own port only, and stops serving when the app closes', async () => {
      app = await start(MetricsModule.forService('webhooks', 0));
      const port = app.get(MetricsServer).port;
      expect(port).toBeGreaterThan(0);
      const metricsUrl = `http://127.0.0.1:${port}`;

      await request(app.getHttpServer()).get('/metrics').expect(404);
      const response = await request(metricsUrl).get('/metrics').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toMatch(/^process_cpu_user_seconds_total\{service="webhooks"\} /m);
      await request(metricsUrl).get('/other').expect(404);

      await app.close();
      app = undefined;
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    });
  });
});
