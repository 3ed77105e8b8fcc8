import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const file = path.join(root, '.infra/demo-merchant.json');

export interface DemoMerchant {
  id: string;
  api_key: string;
}

/**
 * A ready demo merchant for `npm start`: created once through the gateway's admin API and kept in
 * the git-ignored .infra/, so every start prints the same working key (re-created if the key no
 * longer authenticates, e.g. after the database was reset).
 */
export async function ensureDemoMerchant(gatewayUrl: string, adminKey: string): Promise<DemoMerchant> {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoMerchant;
    const probe = await fetch(`${gatewayUrl}/v1/payment_intents?limit=1`, { headers: { authorization: `Bearer ${saved.api_key}` } });
    if (probe.ok) return saved;
  }
  const response = await fetch(`${gatewayUrl}/admin/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Demo merchant' }),
  });
  if (response.status !== 201) throw new Error(`could not create the demo merchant: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as DemoMerchant;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ id: created.id, api_key: created.api_key }, null, 2));
  return created;
}
