import { Matches } from 'class-validator';

/**
 * A public id with its type prefix (`pi_…`, `re_…`, `mer_…`, as in API.md). The prefix is what
 * lets the gateway answer `404` to a malformed id without a lookup, so events must keep it.
 */
export function IsPrefixedId(prefix: string): PropertyDecorator {
  return Matches(new RegExp(`^${prefix}_[A-Za-z0-9_-]+$`), {
    message: `$property must be an id starting with "${prefix}_"`,
  });
}
