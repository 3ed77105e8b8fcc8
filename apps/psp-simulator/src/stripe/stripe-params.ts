/** Form-encoded parameters as Express parses them: strings, nested objects, arrays. */
export type StripeParams = Record<string, unknown>;

/** A positive integer parameter (form values arrive as strings), or undefined when absent or malformed. */
export function intParam(params: StripeParams, name: string): number | undefined {
  const raw = params[name];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw);
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function stringParam(params: StripeParams, name: string): string | undefined {
  const raw = params[name];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

export function metadataParam(params: StripeParams): Record<string, string> {
  const raw = params['metadata'];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') metadata[key] = value;
  }
  return metadata;
}

export function isTrue(params: StripeParams, name: string): boolean {
  return params[name] === 'true' || params[name] === true;
}
