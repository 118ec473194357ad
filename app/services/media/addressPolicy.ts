import { BlockList, isIP } from 'node:net';

/**
 * Whether an address is on the public internet. An answer from Dify may link to any URL, so the
 * gateway must not let it reach loopback, private networks or cloud metadata (169.254.169.254) on
 * the user's behalf (SSRF). Anything we cannot parse is treated as not public: refusing a strange
 * address costs one image, accepting it could expose an internal service.
 */

/** Special-purpose IPv4 ranges (RFC 6890 and friends) that never belong to a public host. */
const IPV4_RULES: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 connects to the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, home of cloud metadata endpoints
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes the broadcast address 255.255.255.255
];

const IPV6_RULES: ReadonlyArray<readonly [string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed inside some networks
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates into the site's own IPv4 space
];

const ipv4List = buildList(IPV4_RULES, 'ipv4');
const ipv6List = buildList(IPV6_RULES, 'ipv6');

function buildList(rules: ReadonlyArray<readonly [string, number]>, family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of rules) list.addSubnet(network, prefix, family);
  return list;
}

export function isPublicAddress(ip: string): boolean {
  const address = normalise(ip);
  try {
    switch (isIP(address)) {
      case 4:
        return !ipv4List.check(address, 'ipv4');
      case 6:
        return isPublicIpv6(address);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** Accepts the bracketed form URL.hostname gives and drops a zone id (`fe80::1%eth0`). */
function normalise(ip: string): string {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  return text.includes(':') && zone >= 0 ? text.slice(0, zone) : text;
}

function isPublicIpv6(address: string): boolean {
  if (ipv6List.check(address, 'ipv6')) return false;
  const groups = ipv6Groups(address);
  if (groups === undefined) return false;
  const embedded = embeddedIpv4(groups);
  return embedded === undefined ? true : isPublicAddress(embedded);
}

/**
 * The IPv4 address that forms which carry one actually reach: mapped (::ffff:a.b.c.d), translated
 * (::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 * Judging them by that IPv4 stops `::ffff:7f00:1` from being a way around the loopback rule.
 */
function embeddedIpv4(groups: readonly number[]): string | undefined {
  const zeroUpTo = (end: number): boolean => groups.slice(0, end).every((g) => g === 0);
  const g = (index: number): number => groups[index] ?? 0;
  if (zeroUpTo(5) && g(5) === 0xffff) return dotted(g(6), g(7));
  if (zeroUpTo(4) && g(4) === 0xffff && g(5) === 0) return dotted(g(6), g(7));
  if (zeroUpTo(6)) return dotted(g(6), g(7));
  if (g(0) === 0x64 && g(1) === 0xff9b && groups.slice(2, 6).every((x) => x === 0)) return dotted(g(6), g(7));
  if (g(0) === 0x2002) return dotted(g(1), g(2));
  return undefined;
}

function dotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Eight 16-bit groups of an address that `isIP` already accepted as IPv6. */
function ipv6Groups(address: string): number[] | undefined {
  const text = hexTail(address.toLowerCase());
  if (text === undefined) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<string>(missing).fill('0'), ...tail].map((part) =>
    /^[0-9a-f]{1,4}$/.test(part) ? parseInt(part, 16) : Number.NaN,
  );
  return groups.every((value) => !Number.isNaN(value)) ? groups : undefined;
}

/** Rewrites a dotted IPv4 tail (`::ffff:1.2.3.4`) as two hex groups so one parser handles both. */
function hexTail(text: string): string | undefined {
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (!last.includes('.')) return text;
  if (isIP(last) !== 4) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
  return `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}
