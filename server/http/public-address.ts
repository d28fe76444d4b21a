import { BlockList, isIP } from 'node:net';

/**
 * The address blocks an outbound call never reaches unless its host is allowed by name, by what they
 * are (the word goes into the refusal): IANA's IPv4 and IPv6 special-purpose registries (RFC 6890 and
 * its updates), multicast and the reserved space. Checked in this order (`::/96` holds `::` and `::1`).
 */
const BLOCKS: [kind: string, family: 'ipv4' | 'ipv6', network: string, prefix: number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8], // "this network": connecting to 0.0.0.0 reaches the server itself
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['private', 'ipv6', 'fc00::', 7], // unique local
  ['private', 'ipv6', '64:ff9b:1::', 48], // local-use NAT64
  ['shared (carrier-grade NAT)', 'ipv4', '100.64.0.0', 10],
  ['link-local', 'ipv4', '169.254.0.0', 16], // cloud metadata services live here
  ['link-local', 'ipv6', 'fe80::', 10],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['multicast', 'ipv6', 'ff00::', 8],
  ['benchmarking', 'ipv4', '198.18.0.0', 15],
  ['documentation', 'ipv4', '192.0.2.0', 24],
  ['documentation', 'ipv4', '198.51.100.0', 24],
  ['documentation', 'ipv4', '203.0.113.0', 24],
  ['documentation', 'ipv6', '2001:db8::', 32],
  ['documentation', 'ipv6', '3fff::', 20],
  ['reserved', 'ipv4', '192.0.0.0', 24], // IETF protocol assignments
  ['reserved', 'ipv4', '192.88.99.0', 24], // 6to4 relays
  ['reserved', 'ipv4', '240.0.0.0', 4], // and the broadcast address
  ['reserved', 'ipv6', '::', 96], // IPv4-compatible (deprecated): ::127.0.0.1
  ['reserved', 'ipv6', '100::', 64], // discard-only
  ['reserved', 'ipv6', '2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  ['reserved', 'ipv6', '2002::', 16], // 6to4 wraps an IPv4 address of any kind
  ['reserved', 'ipv6', '5f00::', 16], // segment routing
];

const KINDS = new Map<string, BlockList>();
for (const [kind, family, network, prefix] of BLOCKS) {
  if (!KINDS.has(kind)) KINDS.set(kind, new BlockList());
  KINDS.get(kind)!.addSubnet(network, prefix, family);
}
/** The only IPv6 space handed out for the internet: everything outside it is special (mapped addresses included). */
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');
/** Well-known NAT64 (RFC 6052): a gateway turns 64:ff9b::a.b.c.d into a.b.c.d, so that address is judged. */
const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The IPv4 address in the last 32 bits of an IPv6 one (`64:ff9b::a00:1` → `10.0.0.1`). */
function lastIPv4(address: string): string {
  const tail = address.slice(address.lastIndexOf(':') + 1);
  if (isIP(tail) === 4) return tail;
  const groups = address.split(':');
  const word = (g: string | undefined) => Number.parseInt(g || '0', 16);
  const bits = word(groups.at(-2)) * 0x10000 + word(groups.at(-1));
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

/**
 * What kind of special address `address` is (`loopback`, `private`, `link-local`…), or null for a
 * public one. IPv4-mapped IPv6 addresses take the kind of the IPv4 address they carry; anything that is
 * not an IP address is `not an IP address`.
 */
export function specialKind(address: string): string | null {
  const ip = address.replace(/%.*$/, ''); // a zone (fe80::1%eth0) only ever comes with link-local
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  if (family === 6 && NAT64.check(ip, 'ipv6')) return specialKind(lastIPv4(ip));
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of KINDS) if (list.check(ip, type)) return kind;
  return type === 'ipv6' && !GLOBAL_UNICAST.check(ip, 'ipv6') ? 'reserved' : null;
}
