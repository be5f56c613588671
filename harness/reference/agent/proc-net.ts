// Facts read from this network namespace's /proc and /sys. The agent runs in a FROM-scratch
// image with no `ip` binary, so files are the only source; each reader returns empty when the
// file is missing (a non-Linux dev host) rather than guessing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function hex6(h: string): string {
  const groups = h.match(/.{4}/g) ?? [];
  // Lower-case, leading zeros dropped, longest zero run compressed (RFC 5952).
  const parts = groups.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
  let best = { at: -1, len: 1 };
  for (let i = 0; i < parts.length;) {
    let j = i;
    while (j < parts.length && parts[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return parts.join(':');
  const head = parts.slice(0, best.at).join(':');
  const tail = parts.slice(best.at + best.len).join(':');
  return `${head}::${tail}`;
}

export interface ProcIpv6Addr {
  iface: string;
  address: string;
  prefixLength: number;
  scope: number;
  flags: number;
}

export function readIfInet6(): ProcIpv6Addr[] {
  return read('/proc/net/if_inet6')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 6)
    .map(([addr = '', , plen = '0', scope = '0', flags = '0', iface = '']) => ({
      iface,
      address: hex6(addr),
      prefixLength: parseInt(plen, 16),
      scope: parseInt(scope, 16),
      flags: parseInt(flags, 16),
    }));
}

/** Default IPv4 gateway per interface, from /proc/net/route (little-endian hex). */
export function readIpv4Gateways(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of read('/proc/net/route').split('\n').slice(1)) {
    const [iface, dest, gw] = line.trim().split(/\s+/);
    if (!iface || dest !== '00000000' || !gw || gw === '00000000') continue;
    const bytes = (gw.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
    out.set(iface, bytes.join('.'));
  }
  return out;
}

/** Default IPv6 gateway per interface, from /proc/net/ipv6_route. */
export function readIpv6Gateways(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of read('/proc/net/ipv6_route').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[0] !== '0'.repeat(32) || f[1] !== '00') continue;
    const hop = f[4] ?? '';
    if (/^0+$/.test(hop) || !f[9] || f[9] === 'lo') continue;
    out.set(f[9], hex6(hop));
  }
  return out;
}

export function readMtu(iface: string): number | undefined {
  const v = read(`/sys/class/net/${iface}/mtu`).trim();
  return v === '' ? undefined : Number(v);
}

/** IPv6 stateless autoconfiguration for one device; false where the sysctl is missing. */
export function readIpv6Autoconf(iface: string): boolean {
  return read(`/proc/sys/net/ipv6/conf/${iface}/autoconf`).trim() === '1';
}

export function listInterfaces(): string[] {
  return existsSync('/sys/class/net') ? readdirSync('/sys/class/net') : [];
}

export function readBondings(): string[] {
  return read('/sys/class/net/bonding_masters').trim().split(/\s+/).filter(Boolean);
}

/** `eth0.100 | 100 | eth0` lines from /proc/net/vlan/config. */
export function readVlans(): Array<{ name: string; id: number; iface: string }> {
  return read('/proc/net/vlan/config')
    .split('\n')
    .slice(2)
    .map((l) => l.split('|').map((s) => s.trim()))
    .filter((f) => f.length === 3 && f[0])
    .map(([name = '', id = '0', iface = '']) => ({ name, id: Number(id), iface }));
}
