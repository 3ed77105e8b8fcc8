import { lookup } from 'node:dns/promises';
import type { HostResolver, ResolvedAddress } from './webhook-url-policy';

/** Every A and AAAA record of a host through the system resolver (what http.request would use). */
export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(
    (a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }) satisfies ResolvedAddress,
  );
};
