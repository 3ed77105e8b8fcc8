import { HostResolver, ResolvedAddress, checkWebhookUrl } from './webhook-url-policy';

/** A resolver answering from a table, as DNS would (no network in unit tests). */
function resolverOf(table: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = resolverOf({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  localhost: ['127.0.0.1', '::1'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:192.168.0.10'],
});
const production = { allowInsecure: false, resolve: dns };
const development = { allowInsecure: true, resolve: dns };

describe('checkWebhookUrl', () => {
  it('allows https to a host whose every address is public, and returns those addresses', async () => {
    const verdict = await checkWebhookUrl('https://hooks.example.com/payflow', production);
    expect(verdict).toMatchObject({ allowed: true });
    expect(verdict.allowed && verdict.addresses.map((a) => a.address)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1:248:1893:25c8:1946',
    ]);
  });

  it.each([
    ['http://hooks.example.com/x', /https/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://localhost:8443/x', /loopback/],
    ['https://10.0.0.1/x', /private/],
    ['https://internal.example.com/x', /private/],
    ['https://mixed.example.com/x', /private/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://metadata.example.com/x', /link-local/],
    ['https://[::ffff:127.0.0.1]/x', /loopback/],
    ['https://mapped.example.com/x', /private/],
    ['https://2130706433/x', /loopback/], // 127.0.0.1 written as a number: the URL parser normalizes it
    ['https://0x7f.1/x', /loopback/],
    ['https://0.0.0.0/x', /reserved/],
    ['https://nowhere.invalid/x', /could not be resolved/],
    ['https://user:pass@hooks.example.com/x', /without credentials/],
    ['ftp://hooks.example.com/x', /http/],
    ['not a url', /absolute/],
  ])('refuses %s in production', async (url, reason) => {
    const verdict = await checkWebhookUrl(url, production);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  it('allows http and loopback in development, but still never private or metadata addresses', async () => {
    expect(await checkWebhookUrl('http://127.0.0.1:3000/hook', development)).toMatchObject({ allowed: true });
    expect(await checkWebhookUrl('http://localhost:3000/hook', development)).toMatchObject({ allowed: true });
    expect(await checkWebhookUrl('http://[::1]:3000/hook', development)).toMatchObject({ allowed: true });
    expect(await checkWebhookUrl('http://10.0.0.1/hook', development)).toMatchObject({ allowed: false });
    expect(await checkWebhookUrl('http://169.254.169.254/', development)).toMatchObject({ allowed: false });
    expect(await checkWebhookUrl('http://internal.example.com/', development)).toMatchObject({
      allowed: false,
    });
  });
});
