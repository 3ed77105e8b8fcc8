import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateWebhookEndpointRequest } from './create-webhook-endpoint.request';
import { ListEventsQuery } from './list-queries';
import { UpdateWebhookEndpointRequest } from './update-webhook-endpoint.request';
import { isWebhookUrlSyntax } from './webhook-url';

/** Validates as the services' ValidationPipe does: no implicit conversion, unknown fields refused. */
function problems<T extends object>(cls: new () => T, plain: unknown): string[] {
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false }) as T;
  return validateSync(value, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);
}

describe('webhook endpoint requests', () => {
  it('accepts a URL with its event types, or the wildcard', () => {
    expect(
      problems(CreateWebhookEndpointRequest, {
        url: 'https://example.com/hook',
        enabled_events: ['payment_intent.succeeded'],
      }),
    ).toEqual([]);
    expect(
      problems(CreateWebhookEndpointRequest, {
        url: 'http://127.0.0.1:3000/x',
        enabled_events: ['*'],
        description: 'dev',
      }),
    ).toEqual([]);
  });

  it.each([
    ['no url', { enabled_events: ['*'] }, 'url'],
    ['no event types', { url: 'https://example.com' }, 'enabled_events'],
    ['an empty list', { url: 'https://example.com', enabled_events: [] }, 'enabled_events'],
    [
      'an internal event type',
      { url: 'https://example.com', enabled_events: ['payment_intent.captured'] },
      'enabled_events',
    ],
    [
      'a repeated type',
      { url: 'https://example.com', enabled_events: ['refund.failed', 'refund.failed'] },
      'enabled_events',
    ],
    [
      'a secret of its own',
      { url: 'https://example.com', enabled_events: ['*'], secret: 'whsec_x' },
      'secret',
    ],
  ])('refuses %s', (_case, body, param) => {
    expect(problems(CreateWebhookEndpointRequest, body)).toContain(param);
  });

  it('updates any subset of fields, disabled only as a boolean', () => {
    expect(problems(UpdateWebhookEndpointRequest, {})).toEqual([]);
    expect(problems(UpdateWebhookEndpointRequest, { disabled: true })).toEqual([]);
    expect(problems(UpdateWebhookEndpointRequest, { disabled: 'true' })).toEqual(['disabled']);
  });

  it('lists events of one merchant type only', () => {
    expect(problems(ListEventsQuery, { type: 'refund.created' })).toEqual([]);
    expect(problems(ListEventsQuery, { type: 'refund.requested' })).toEqual(['type']);
  });
});

describe('isWebhookUrlSyntax', () => {
  it.each(['https://example.com', 'https://example.com:8443/a?b=c', 'http://[::1]:3000/hook'])(
    'accepts %s',
    (url) => {
      expect(isWebhookUrlSyntax(url)).toBe(true);
    },
  );

  it.each([
    'example.com/hook',
    'ftp://example.com',
    'https://user:pw@example.com',
    'javascript:alert(1)',
    '',
    `https://e.com/${'a'.repeat(2048)}`,
  ])('refuses %s', (url) => {
    expect(isWebhookUrlSyntax(url)).toBe(false);
  });
});
