import type { LookupAddress, LookupOptions } from 'node:dns';
import type { ResolvedAddress } from './webhook-url-policy';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that answers only the addresses the URL policy already checked, so
 * the connection cannot go anywhere else, whatever DNS says by the time the socket opens. Handles
 * both forms net.connect asks for (`all: true` with family auto-selection, or one address).
 */
export function pinnedLookup(addresses: ResolvedAddress[]) {
  return (_hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const candidates = addresses.filter((a) => family === undefined || a.family === family);
    if (candidates.length === 0) {
      const error: NodeJS.ErrnoException = new Error('no checked address of the requested family');
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        candidates.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, candidates[0].address, candidates[0].family);
  };
}
