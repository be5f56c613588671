// Parsers for the kernel's /proc/net tables: the same facts `ip addr`, `netstat -tan` and
// `ip route` show, read without those tools so a scratch image needs nothing but node.
import ipaddr from 'ipaddr.js';
import type { Ipv6Addr, Listener } from './contract.ts';

const SCOPES: Record<number, Ipv6Addr['scope']> = {
  0x00: 'global',
  0x10: 'host',
  0x20: 'link',
  0x40: 'site',
};
const IFA_F_TENTATIVE = 0x40;

/** 32 hex digits (network order, as in if_inet6 and ipv6_route) to RFC 5952 text. */
export function hexToIpv6(hex: string): string {
  const groups = hex.match(/.{4}/g) ?? [];
  return ipaddr.IPv6.parse(groups.join(':')).toRFC5952String();
}

/** /proc/net/tcp6 stores each 32-bit word in host byte order (little-endian on x86 and arm). */
function tcp6Hex(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  return hexToIpv6(words.map((w) => (w.match(/../g) ?? []).reverse().join('')).join(''));
}

function tcp4Hex(hex: string): string {
  return (hex.match(/../g) ?? [])
    .reverse()
    .map((b) => parseInt(b, 16))
    .join('.');
}

export interface IfInet6Row extends Ipv6Addr {
  index: number;
  iface: string;
}

export function parseIfInet6(text: string): IfInet6Row[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 6)
    .map(([hex, index, plen, scope, flags, iface]) => ({
      address: hexToIpv6(hex!),
      index: parseInt(index!, 16),
      prefixLength: parseInt(plen!, 16),
      scope: SCOPES[parseInt(scope!, 16) & 0xf0] ?? 'global',
      tentative: (parseInt(flags!, 16) & IFA_F_TENTATIVE) !== 0,
      iface: iface!,
    }));
}

/** Sockets in LISTEN (state 0A) from /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6). */
export function parseListeners(text: string, family: 4 | 6): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== '0A') continue;
    const [addrHex, portHex] = f[1]!.split(':') as [string, string];
    const address = family === 6 ? tcp6Hex(addrHex) : tcp4Hex(addrHex);
    const port = parseInt(portHex, 16);
    out.push({ family, address, port, display: `${address}:${port}` });
  }
  return out;
}

/** ipv6_route rows as `dest/len via gw dev iface metric m`, like `ip -6 route`. */
export function parseIpv6Routes(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 10)
    .map((f) => {
      const gw = hexToIpv6(f[4]!);
      const via = gw === '::' ? '' : ` via ${gw}`;
      return `${hexToIpv6(f[0]!)}/${parseInt(f[1]!, 16)}${via} dev ${f[9]} metric ${parseInt(f[5]!, 16)}`;
    });
}

/** /proc/net/route rows as `dest/len via gw dev iface`, like `ip -4 route`. */
export function parseIpv4Routes(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 8)
    .map((f) => {
      const mask = parseInt(f[7]!, 16);
      const len = mask.toString(2).replace(/0/g, '').length;
      const gw = tcp4Hex(f[2]!);
      const via = gw === '0.0.0.0' ? '' : ` via ${gw}`;
      return `${tcp4Hex(f[1]!)}/${len}${via} dev ${f[0]}`;
    });
}
