import ipaddr from 'ipaddr.js';
import type { AddressClass } from './contract.ts';
import { parseIp, type ParsedIp } from './parse-ip.ts';

type Ranges<T> = Record<string, [T, number][]>;

const cidr6 = (text: string): [ipaddr.IPv6, number] => ipaddr.IPv6.parseCIDR(text);
const cidr4 = (text: string): [ipaddr.IPv4, number] => ipaddr.IPv4.parseCIDR(text);

/**
 * Order matters only where ranges nest; none of these do. IPv4 has no unique-local range by
 * that name: RFC 1918 private space is its counterpart (not routed on the internet), so it is
 * reported as `unique-local`. All of 0.0.0.0/8 ("this network", RFC 1122) is `unspecified`:
 * none of it can be a destination. Deprecated site-local fec0::/10 is `global`.
 */
const ipv6Ranges: Ranges<ipaddr.IPv6> = {
  unspecified: [cidr6('::/128')],
  loopback: [cidr6('::1/128')],
  'link-local': [cidr6('fe80::/10')],
  'unique-local': [cidr6('fc00::/7')],
  multicast: [cidr6('ff00::/8')],
  'ipv4-mapped': [cidr6('::ffff:0:0/96')],
  // RFC 3849 and RFC 9637
  documentation: [cidr6('2001:db8::/32'), cidr6('3fff::/20')],
};

const ipv4Ranges: Ranges<ipaddr.IPv4> = {
  unspecified: [cidr4('0.0.0.0/8')],
  loopback: [cidr4('127.0.0.0/8')],
  'link-local': [cidr4('169.254.0.0/16')],
  'unique-local': [cidr4('10.0.0.0/8'), cidr4('172.16.0.0/12'), cidr4('192.168.0.0/16')],
  multicast: [cidr4('224.0.0.0/4')],
  // RFC 5737 TEST-NET-1, -2, -3
  documentation: [cidr4('192.0.2.0/24'), cidr4('198.51.100.0/24'), cidr4('203.0.113.0/24')],
};

/** What kind of address this is; takes the text `parseIp` takes (and throws as it does). */
export function classify(address: string | ParsedIp): AddressClass {
  const parsed = typeof address === 'string' ? parseIp(address) : address;
  // The canonical form is always valid to ipaddr.js; it does the prefix arithmetic.
  if (parsed.kind === 'ipv4') {
    return ipaddr.subnetMatch(
      ipaddr.IPv4.parse(parsed.address),
      ipv4Ranges,
      'global',
    ) as AddressClass;
  }
  return ipaddr.subnetMatch(
    ipaddr.IPv6.parse(parsed.address),
    ipv6Ranges,
    'global',
  ) as AddressClass;
}
