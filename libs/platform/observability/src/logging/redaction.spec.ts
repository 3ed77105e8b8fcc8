import { MemoryDestination } from '../test-support/memory-destination';
import { createPinoLogger } from './pino-logger';
import { REDACTION_CENSOR, createRedactionPaths } from './redaction';

describe('createRedactionPaths', () => {
  const paths = createRedactionPaths();

  it('covers the credential headers', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["stripe-signature"]',
        'req.headers["x-internal-token"]',
      ]),
    );
  });

  it('covers secret and card keys at the top level and three levels down', () => {
    for (const key of ['api_key', 'apiKey', 'secret', 'password', 'token', 'card_number', 'number', 'cvc', 'cvv', 'exp_month', 'exp_year']) {
      expect(paths).toEqual(expect.arrayContaining([key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]));
    }
  });
});

describe('createPinoLogger redaction', () => {
  function logLines(write: (logger: ReturnType<typeof createPinoLogger>) => void): MemoryDestination {
    const destination = new MemoryDestination();
    write(createPinoLogger('intents', 'info', destination));
    return destination;
  }

  it('censors an api_key at the top level and nested', () => {
    const out = logLines((logger) =>
      logger.info({ api_key: 'sk_test_top', merchant: { api_key: 'sk_test_nested', name: 'Acme' } }, 'merchant created'),
    );

    expect(out.text).not.toContain('sk_test_top');
    expect(out.text).not.toContain('sk_test_nested');
    expect(out.lines[0]).toMatchObject({
      api_key: REDACTION_CENSOR,
      merchant: { api_key: REDACTION_CENSOR, name: 'Acme' },
      msg: 'merchant created',
    });
  });

  it('censors card data inside a PSP payload', () => {
    const out = logLines((logger) =>
      logger.warn({ request: { payment_method: { card: { number: '4242424242424242', cvc: '123', exp_month: 12 } } } }),
    );

    expect(out.text).not.toContain('4242424242424242');
    expect(out.lines[0]).toMatchObject({
      request: { payment_method: { card: { number: REDACTION_CENSOR, cvc: REDACTION_CENSOR, exp_month: REDACTION_CENSOR } } },
    });
  });

  it('censors the authorization header in bindings and in logged objects', () => {
    const out = logLines((logger) => {
      const child = logger.child({ req: { headers: { authorization: 'Bearer sk_test_bound' } } });
      child.info('in request');
      logger.info({ req: { headers: { authorization: 'Bearer sk_test_logged', 'stripe-signature': 't=1,v1=abc' } } });
    });

    expect(out.text).not.toContain('sk_test_bound');
    expect(out.text).not.toContain('sk_test_logged');
    expect(out.text).not.toContain('v1=abc');
    expect(out.lines.map((line) => line['req'])).toEqual([
      { headers: { authorization: REDACTION_CENSOR } },
      { headers: { authorization: REDACTION_CENSOR, 'stripe-signature': REDACTION_CENSOR } },
    ]);
  });

  it('writes JSON with the service, a level word and leaves other fields alone', () => {
    const out = logLines((logger) => logger.info({ payment_intent_id: 'pi_1' }, 'hello'));

    expect(out.lines[0]).toMatchObject({ service: 'intents', level: 'info', payment_intent_id: 'pi_1', msg: 'hello' });
  });
});
