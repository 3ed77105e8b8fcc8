import { BlockList, isIP } from 'node:net';

/**
 * What an IP address is, for deciding whether PayFlow may send a merchant's webhook there. Only
 * `public` addresses are ever allowed in production; `loopback` only for local development.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'reserved';

function blockList(v4: [string, number][], v6: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

// node's BlockList applies the IPv4 rules to IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) too.
const RANGES: [AddressClass, BlockList][] = [
  ['loopback', blockList([['127.0.0.0', 8]], [['::1', 128]])],
  [
    // Cloud metadata services live here (169.254.169.254, fd00:ec2::254 is covered by fc00::/7).
    'link_local',
    blockList([['169.254.0.0', 16]], [['fe80::', 10]]),
  ],
  [
    'private',
    blockList(
      [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
        ['100.64.0.0', 10], // carrier-grade NAT, shared address space
        ['198.18.0.0', 15], // benchmarking networks
      ],
      [
        ['fc00::', 7], // unique local
        ['fec0::', 10], // deprecated site-local
      ],
    ),
  ],
  [
    'reserved',
    blockList(
      [
        ['0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local host on Linux
        ['192.0.0.0', 24], // IETF protocol assignments
        ['192.0.2.0', 24], // documentation
        ['198.51.100.0', 24], // documentation
        ['203.0.113.0', 24], // documentation
        ['192.88.99.0', 24], // 6to4 relay anycast
        ['224.0.0.0', 4], // multicast
        ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
      ],
      [
        ['::', 96], // unspecified and the deprecated IPv4-compatible form (::1 is matched first)
        ['100::', 64], // discard
        ['2001::', 23], // IETF protocol assignments, Teredo among them
        ['2001:db8::', 32], // documentation
        ['64:ff9b:1::', 48], // local-use NAT64
        ['ff00::', 8], // multicast
      ],
    ),
  ],
];

/** The 8 groups of an IPv6 address (zone id dropped, a trailing dotted quad folded in); null if malformed. */
export function ipv6Groups(address: string): number[] | null {
  let text = address.split('%', 1)[0].toLowerCase();
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const bytes = dotted.slice(1).map(Number);
    if (bytes.some((b) => b > 255)) return null;
    text = `${text.slice(0, dotted.index)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : NaN));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * IPv6 forms that carry an IPv4 address a packet may end up at: NAT64 (64:ff9b::/96) and 6to4
 * (2002::/16). They are judged by the IPv4 address they embed. (IPv4-mapped ::ffff:0:0/96 is
 * handled by BlockList itself.)
 */
function embeddedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (!groups) return null;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    return ipv4FromGroups(groups[6], groups[7]);
  }
  if (groups[0] === 0x2002) return ipv4FromGroups(groups[1], groups[2]);
  return null;
}

/** Classifies an IP address (v4, v6, IPv4-mapped, NAT64, 6to4); anything unparseable is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%', 1)[0]);
  if (family === 0) return 'reserved';
  const ip = bare.split('%', 1)[0];
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [addressClass, list] of RANGES) if (list.check(ip, type)) return addressClass;
  if (family === 6) {
    const embedded = embeddedIpv4(ip);
    if (embedded) return classifyAddress(embedded);
  }
  return 'public';
}
