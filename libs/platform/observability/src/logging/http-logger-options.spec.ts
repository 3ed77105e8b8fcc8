import { Server, createServer } from 'node:http';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { MemoryDestination } from '../test-support/memory-destination';
import { createHttpLoggerOptions } from './http-logger-options';
import { REDACTION_CENSOR } from './redaction';

describe('createHttpLoggerOptions', () => {
  let destination: MemoryDestination;
  let server: Server;

  beforeEach(() => {
    destination = new MemoryDestination();
    const logger = pinoHttp(createHttpLoggerOptions('gateway', 'info'), destination);
    server = createServer((req, res) => {
      logger(req, res);
      req.log.info('handling');
      res.end('ok');
    });
  });

  const completedFor = (path: string) =>
    destination.waitFor((line) => line['msg'] === 'request completed' && (line['req'] as { url: string }).url === path);

  it('keeps the caller request id, echoes it and logs it with the correlation id and service', async () => {
    const response = await request(server)
      .get('/v1/payment_intents')
      .set('x-request-id', 'req_from_gateway')
      .set('x-correlation-id', 'corr_42')
      .expect(200);

    expect(response.headers['request-id']).toBe('req_from_gateway');
    const handling = await destination.waitFor((line) => line['msg'] === 'handling');
    expect(handling).toMatchObject({ service: 'gateway', request_id: 'req_from_gateway', correlation_id: 'corr_42' });
    expect(await completedFor('/v1/payment_intents')).toMatchObject({
      service: 'gateway',
      request_id: 'req_from_gateway',
      correlation_id: 'corr_42',
      res: { statusCode: 200 },
    });
  });

  it('makes a req_<uuid> id when none is sent and uses it as the correlation id', async () => {
    const response = await request(server).get('/v1/refunds').expect(200);

    const id = response.headers['request-id'];
    expect(id).toMatch(/^req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await completedFor('/v1/refunds')).toMatchObject({ request_id: id, correlation_id: id });
  });

  it('replaces a request id that is not a plain short token', async () => {
    const response = await request(server).get('/v1/x').set('x-request-id', 'a b "c"').expect(200);

    expect(response.headers['request-id']).toMatch(/^req_/);
  });

  it('redacts credential headers of the request', async () => {
    await request(server)
      .get('/v1/balance')
      .set('authorization', 'Bearer sk_test_http_secret')
      .set('x-internal-token', 'internal-token-value')
      .set('cookie', 'session=cookie-value')
      .expect(200);

    const completed = await completedFor('/v1/balance');
    expect(destination.text).not.toContain('sk_test_http_secret');
    expect(destination.text).not.toContain('internal-token-value');
    expect(destination.text).not.toContain('cookie-value');
    expect((completed['req'] as { headers: Record<string, string> }).headers).toMatchObject({
      authorization: REDACTION_CENSOR,
      'x-internal-token': REDACTION_CENSOR,
      cookie: REDACTION_CENSOR,
    });
  });

  it('does not log health probes or metric scrapes', async () => {
    await request(server).get('/healthz').expect(200);
    await request(server).get('/readyz?verbose=1').expect(200);
    await request(server).get('/metrics').expect(200);
    await request(server).get('/v1/after-probes').expect(200);

    await completedFor('/v1/after-probes');
    const completedUrls = destination.lines
      .filter((line) => line['msg'] === 'request completed')
      .map((line) => (line['req'] as { url: string }).url);
    expect(completedUrls).toEqual(['/v1/after-probes']);
  });
});
