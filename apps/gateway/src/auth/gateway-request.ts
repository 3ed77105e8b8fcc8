import type { Request } from 'express';
import type { Merchant } from '../merchants/merchant';

/** What the gateway learns about a request on its way in, attached to it for later stages. */
export interface GatewayRequest extends Request {
  /** Set by ApiKeyGuard: the merchant the API key names. */
  merchant?: Merchant;
  /** Set by AdminKeyGuard. */
  admin?: { actor: string };
  /** Set by IdempotencyInterceptor when the POST carried an Idempotency-Key. */
  idempotency?: { key: string; fingerprint: string };
}

/** The request id (assigned first thing, see configure-http.ts): the caller's x-request-id if plain, else `req_<uuid>`. */
export function requestIdOf(request: GatewayRequest): string | undefined {
  return request.id === undefined ? undefined : String(request.id);
}
