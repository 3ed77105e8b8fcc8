import { HttpClientException, type Config } from '@adyen/api-library';
import type ClientInterface from '@adyen/api-library/lib/src/httpClient/clientInterface';
import type { IRequest } from '@adyen/api-library/lib/src/typings/requestOptions';
import type { ApiError } from '@adyen/api-library/lib/src/typings/apiError';

/**
 * The SDK's services build fixed URLs (`https://checkout-test.adyen.com/v72/payments`). This keeps
 * the path (version and operation) and swaps what comes before it for the configured base, so the
 * same SDK calls reach live Adyen or the PSP simulator.
 */
export function rewriteAdyenUrl(endpoint: string, baseUrl: string): string {
  const url = new URL(endpoint);
  return `${baseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

function toHeaderRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function parseApiError(body: string): ApiError | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'status' in parsed
      ? (parsed as ApiError)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `ClientInterface` PayFlow hands to `new Client(config, httpClient)`: sends with `fetch` to
 * the configured base URL, with a hard timeout, the API key, and the idempotency key the SDK passes
 * in its request options. A non-2xx answer is thrown as the SDK's own `HttpClientException`
 * (status, headers, body, parsed Adyen error) so error handling reads the same as with the SDK's
 * default client; transport failures are thrown as they come (the connector classifies them).
 */
export class AdyenFetchClient implements ClientInterface {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async request(
    endpoint: string,
    json: string | Buffer,
    config: Config,
    _isApiKeyRequired: boolean,
    requestOptions: IRequest.Options = {},
  ): Promise<string> {
    const url = new URL(rewriteAdyenUrl(endpoint, this.baseUrl));
    if (requestOptions.params) {
      new URLSearchParams(requestOptions.params).forEach((value, name) =>
        url.searchParams.append(name, value),
      );
    }
    const method = (requestOptions.method ?? 'POST').toUpperCase();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': `${config.applicationName ?? 'PayFlow'} adyen-node-api-library`,
    };
    if (config.apiKey) headers['X-API-Key'] = config.apiKey;
    if (requestOptions.idempotencyKey) headers['Idempotency-Key'] = requestOptions.idempotencyKey;
    for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }

    const response = await fetch(url, {
      method,
      headers,
      body:
        method === 'GET' || method === 'DELETE'
          ? undefined
          : typeof json === 'string'
            ? json
            : new Uint8Array(json),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await response.text();
    if (response.ok) return body;

    const apiError = parseApiError(body);
    throw new HttpClientException({
      message: `HTTP Exception: ${response.status}. ${apiError?.message ?? response.statusText}`,
      statusCode: response.status,
      errorCode: apiError?.errorCode,
      responseHeaders: toHeaderRecord(response.headers),
      responseBody: body,
      apiError,
    });
  }
}
