import { ValidateBy, type ValidationOptions } from 'class-validator';

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * The syntax of an endpoint URL: absolute `http(s)://host…`, no user:password part (a credential in a
 * URL ends up in logs, and `https://good.com@evil.com` misleads readers). Whether the scheme and the
 * addresses are allowed depends on the deployment (`WEBHOOK_ALLOW_INSECURE_URLS`) and on DNS, so the
 * webhooks service checks that; this rule is what both the gateway and the service refuse alike.
 */
export function isWebhookUrlSyntax(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > WEBHOOK_URL_MAX_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username !== '' || url.password !== '') return false;
  return url.hostname.length > 0;
}

export function IsWebhookUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWebhookUrl',
      validator: {
        validate: isWebhookUrlSyntax,
        defaultMessage: () =>
          `$property must be an absolute http(s) URL of at most ${WEBHOOK_URL_MAX_LENGTH} characters, without credentials`,
      },
    },
    options,
  );
}
