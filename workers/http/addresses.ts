import net from 'node:net';

// Addresses a collector must never reach on its own: loopback, private, link-local (cloud metadata
// at 169.254.169.254), carrier-grade NAT, multicast, reserved and the IPv6 equivalents.
const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
  // NAT64, Teredo and 6to4 carry (or reach) IPv4 addresses that could be internal
  ['64:ff9b::', 96],
  ['2001::', 32],
  ['2002::', 16],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv6');

// The eight 16-bit groups of an IPv6 address ("::7f00:1" → [0,0,0,0,0,0,0x7f00,1]).
function groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4)
    text =
      text.slice(0, -v4[0].length) +
      (((+v4[1]! << 8) | +v4[2]!).toString(16) + ':' + ((+v4[3]! << 8) | +v4[4]!).toString(16));
  const [head, tail] = text.split('::') as [string, string | undefined];
  const a = head ? head.split(':') : [];
  const b = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - a.length - b.length).fill('0');
  const all = [...a, ...fill, ...b].map((g) => parseInt(g, 16));
  return all.length === 8 && all.every((g) => g >= 0 && g <= 0xffff) ? all : undefined;
}

// An IPv4 address carried in the last 32 bits of an IPv6 one: IPv4-compatible (::a.b.c.d, also
// written ::7f00:1), IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d).
function carriedIpv4(ip: string): string | undefined {
  const g = groups(ip);
  if (!g || g.slice(0, 4).some(Boolean)) return undefined;
  const [, , , , g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const compatible = g4 === 0 && g5 === 0;
  const mapped = g4 === 0 && g5 === 0xffff;
  const translated = g4 === 0xffff && g5 === 0;
  if (!compatible && !mapped && !translated) return undefined;
  return [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255].join('.');
}

export function isPublicAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return !blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const lower = ip.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address inside.
  const embedded = lower.match(/^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/);
  if (embedded) return isPublicAddress(embedded[1]!);
  const carried = carriedIpv4(lower);
  // "::" and "::1" carry 0.0.0.0 and 0.0.0.1: internal either way
  if (carried) return isPublicAddress(carried) && !blocked.check(ip, 'ipv6');
  return !blocked.check(ip, 'ipv6');
}
