/** What replaces a redacted value: the key stays, so a reader still sees that the field was sent. */
export const REDACTION_CENSOR = '[REDACTED]';

/**
 * Headers that carry credentials: merchants' API keys (`Authorization: Bearer sk_…`), session
 * cookies, PSP webhook signatures (a valid signature replayed from a log would still verify) and the
 * token the gateway passes to internal services.
 */
const SECRET_REQUEST_HEADERS = ['authorization', 'cookie', 'stripe-signature', 'x-internal-token', 'x-api-key'];
const SECRET_RESPONSE_HEADERS = ['set-cookie'];

/**
 * Keys whose values are secrets or card data wherever they appear in a logged object (request
 * bodies, PSP payloads, errors). `number` is over-broad on purpose: a PAN arrives as `card.number`
 * (Stripe) or `paymentMethod.number` (Adyen) and a redacted harmless count costs far less than a
 * leaked card number.
 */
const SECRET_KEYS = [
  'api_key',
  'apiKey',
  'secret',
  'client_secret',
  'clientSecret',
  'webhook_secret',
  'password',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'card_number',
  'cardNumber',
  'number',
  'cvc',
  'cvv',
  'exp_month',
  'exp_year',
  'expiryMonth',
  'expiryYear',
];

/**
 * pino's redaction has no "any depth" wildcard: `*.key` matches exactly one level down. Each key is
 * therefore listed at the top level and under one to this many wildcard levels. Deeper keys are not
 * redacted, which bounds the cost paid on every log line.
 */
const MAX_WILDCARD_DEPTH = 3;

function headerPath(owner: 'req' | 'res', header: string): string {
  return /^[a-z_]+$/.test(header) ? `${owner}.headers.${header}` : `${owner}.headers["${header}"]`;
}

/** The pino `redact.paths` every PayFlow logger uses (HTTP and plain). */
export function createRedactionPaths(): string[] {
  const paths = [
    ...SECRET_REQUEST_HEADERS.map((header) => headerPath('req', header)),
    ...SECRET_RESPONSE_HEADERS.map((header) => headerPath('res', header)),
  ];
  for (let depth = 0; depth <= MAX_WILDCARD_DEPTH; depth += 1) {
    const prefix = '*.'.repeat(depth);
    paths.push(...SECRET_KEYS.map((key) => `${prefix}${key}`));
  }
  return paths;
}
