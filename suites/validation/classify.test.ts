import { describe, expect, it } from 'vitest';
import { classify, parseIp, type AddressClass } from '../../harness/index.ts';

const table: [address: string, expected: AddressClass][] = [
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'global'],
  ['fc00::1', 'unique-local'],
  ['fdff:ffff::1', 'unique-local'],
  ['ff02::1', 'multicast'],
  ['ff0e::101', 'multicast'],
  ['::ffff:192.0.2.1', 'ipv4-mapped'],
  ['::ffff:127.0.0.1', 'ipv4-mapped'],
  ['2001:db8::1', 'documentation'],
  ['2001:db8:ffff:ffff::1', 'documentation'],
  ['2001:db9::1', 'global'],
  ['3fff::1', 'documentation'],
  ['3fff:fff::1', 'documentation'],
  ['3fff:1000::1', 'global'],
  ['2606:4700::1111', 'global'],
  ['0.0.0.0', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.10.20', 'link-local'],
  ['10.1.2.3', 'unique-local'],
  ['172.31.255.255', 'unique-local'],
  ['172.32.0.1', 'global'],
  ['192.168.0.1', 'unique-local'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.1', 'documentation'],
  ['203.0.113.1', 'documentation'],
  ['8.8.8.8', 'global'],
];

describe('classify', () => {
  it.each(table)('%s is %s', (address, expected) => {
    expect(classify(address)).toBe(expected);
    expect(classify(parseIp(address))).toBe(expected);
  });

  it('throws on text that is not an address', () => {
    expect(() => classify('127.1')).toThrow(/four/);
  });
});
