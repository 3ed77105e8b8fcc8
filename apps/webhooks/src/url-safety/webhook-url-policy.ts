import { isIP } from 'node:net';
import { isWebhookUrlSyntax } from '@payflow/api';
import { AddressClass, classifyAddress } from './address-class';

/** A resolved address, as dns.lookup({ all: true }) gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** All A/AAAA addresses of a host name; rejects when it cannot be resolved. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookUrlPolicyOptions {
  /** Development only: allow `http:` and loopback addresses. */
  allowInsecure: boolean;
  resolve: HostResolver;
}

export type UrlVerdict =
  { allowed: true; url: URL; addresses: ResolvedAddress[] } | { allowed: false; reason: string };

const REFUSED_CLASS_REASONS: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  link_local: 'a link-local address (cloud metadata services live there)',
  reserved: 'a reserved or non-routable address',
};

function refuse(reason: string): UrlVerdict {
  return { allowed: false, reason };
}

function addressAllowed(addressClass: AddressClass, allowInsecure: boolean): boolean {
  return addressClass === 'public' || (addressClass === 'loopback' && allowInsecure);
}

/**
 * Decides whether PayFlow may POST to `raw`, and to which addresses: https only (http too when
 * insecure URLs are allowed), and every address the host resolves to public (loopback too when
 * insecure). Every address, not just the first: a host with one public and one private record
 * could otherwise be aimed at the private one by the resolver's order.
 *
 * It runs at creation (to refuse early, with a clear message) and again before every delivery,
 * whose connection then goes only to the addresses checked here — so a DNS answer that changes
 * after the check (rebinding) cannot aim a delivery at an internal address.
 */
export async function checkWebhookUrl(raw: string, options: WebhookUrlPolicyOptions): Promise<UrlVerdict> {
  if (!isWebhookUrlSyntax(raw)) return refuse('must be an absolute http(s) URL without credentials');
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecure)) {
    return refuse('must use https');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal as 4 | 6 }];
  } else {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (!options.allowInsecure && (name === 'localhost' || name.endsWith('.localhost'))) {
      return refuse(`points at ${REFUSED_CLASS_REASONS.loopback}`);
    }
    try {
      addresses = await options.resolve(host);
    } catch {
      return refuse(`host ${host} could not be resolved`);
    }
    if (addresses.length === 0) return refuse(`host ${host} has no address`);
  }
  for (const { address } of addresses) {
    const addressClass = classifyAddress(address);
    if (!addressAllowed(addressClass, options.allowInsecure)) {
      return refuse(`resolves to ${REFUSED_CLASS_REASONS[addressClass as Exclude<AddressClass, 'public'>]}`);
    }
  }
  return { allowed: true, url, addresses };
}
