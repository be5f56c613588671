import { describe, expect, it } from 'vitest';
import {
  AddressError,
  connectHost,
  formatHostPort,
  formatUrlAuthority,
  parseHostSpec,
  parseIp,
  SixgateError,
} from '../../harness/index.ts';

describe('parseHostSpec', () => {
  it('reads the documented forms with the default port', () => {
    expect(parseHostSpec('[::1]')).toEqual({
      input: '[::1]',
      kind: 'ipv6',
      host: '::1',
      port: 54321,
      portGiven: false,
    });
    expect(parseHostSpec('localhost6:54321')).toEqual({
      input: 'localhost6:54321',
      kind: 'name',
      host: 'localhost6',
      port: 54321,
      portGiven: true,
    });
    expect(parseHostSpec('[FE80::1%ovirtmgmt]:8443')).toEqual({
      input: '[FE80::1%ovirtmgmt]:8443',
      kind: 'ipv6',
      host: 'fe80::1',
      zone: 'ovirtmgmt',
      port: 8443,
      portGiven: true,
    });
    expect(parseHostSpec('192.0.2.1:80')).toMatchObject({
      kind: 'ipv4',
      host: '192.0.2.1',
      port: 80,
    });
  });

  it('reads a bare IPv6 literal as a whole address, never host and port', () => {
    expect(parseHostSpec('::1')).toMatchObject({ host: '::1', port: 54321, portGiven: false });
    expect(parseHostSpec('::1:8080')).toMatchObject({ host: '::1:8080', port: 54321 });
  });

  it('applies the caller’s default port', () => {
    expect(parseHostSpec('[::1]', 443).port).toBe(443);
    expect(parseHostSpec('[::1]:80', 443).port).toBe(80);
  });

  it.each(['[::1]:', '[::1]:0', '127.1', '[2001:db8::1%eth0]', '', ' [::1]'])(
    'throws AddressError (exit code 2) with the reason for %j',
    (text) => {
      let caught: unknown;
      try {
        parseHostSpec(text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AddressError);
      expect(caught).toBeInstanceOf(SixgateError);
      const err = caught as AddressError;
      expect(err.code).toBe('SIXGATE_BAD_ADDRESS');
      expect(err.exitCode).toBe(2);
      expect(err.reason.code).not.toBe('OK');
      expect(err.message).toContain(err.reason.message);
    },
  );
});

describe('formatting a host spec back', () => {
  const forms: [input: string, hostPort: string, authority: string, connect: string][] = [
    ['[::1]', '[::1]:54321', '[::1]:54321', '::1'],
    ['[fe80::1%eth0]:8443', '[fe80::1%eth0]:8443', '[fe80::1%25eth0]:8443', 'fe80::1%eth0'],
    ['fe80::A%3', '[fe80::a%3]:54321', '[fe80::a%253]:54321', 'fe80::a%3'],
    ['[2001:DB8:0:0:0:0:0:1]:1', '[2001:db8::1]:1', '[2001:db8::1]:1', '2001:db8::1'],
    ['192.0.2.1', '192.0.2.1:54321', '192.0.2.1:54321', '192.0.2.1'],
    ['Localhost6:80', 'localhost6:80', 'localhost6:80', 'localhost6'],
  ];

  it.each(forms)('%s', (input, hostPort, authority, connect) => {
    const spec = parseHostSpec(input);
    expect(formatHostPort(spec)).toBe(hostPort);
    expect(formatUrlAuthority(spec)).toBe(authority);
    expect(connectHost(spec)).toBe(connect);
  });

  it.each(forms.map(([input]) => input))('round-trips %s through formatHostPort', (input) => {
    const { input: _a, portGiven: _b, ...spec } = parseHostSpec(input);
    const { input: _c, portGiven: _d, ...again } = parseHostSpec(formatHostPort(spec));
    expect(again).toEqual(spec);
  });

  it('writes a URL authority that an RFC 6874 URL parser reads back to the same zone', () => {
    const spec = parseHostSpec('[fe80::1%eth0]:8443');
    const authority = formatUrlAuthority(spec);
    // RFC 6874: ZoneID follows "%25" inside the IP-literal.
    const zone = decodeURIComponent(
      authority.slice(authority.indexOf('%'), authority.indexOf(']')),
    );
    expect(zone).toBe('%eth0');
  });
});

describe('parseIp', () => {
  it('returns the canonical address and the zone', () => {
    expect(parseIp('FE80:0:0:0:0:0:0:1%eth0')).toEqual({
      kind: 'ipv6',
      address: 'fe80::1',
      zone: 'eth0',
    });
    expect(parseIp('0:0:0:0:0:ffff:c000:201')).toEqual({
      kind: 'ipv6',
      address: '::ffff:192.0.2.1',
    });
    expect(parseIp('192.0.2.1')).toEqual({ kind: 'ipv4', address: '192.0.2.1' });
  });

  it.each([
    ['127.1', 'IPV4_PART_COUNT'],
    ['[::1]', 'IPV6_BRACKETS'],
    ['fe80::1%', 'ZONE_EMPTY'],
    [' ::1', 'WHITESPACE'],
  ])('refuses %j with %s', (text, code) => {
    expect(() => parseIp(text)).toThrow(
      expect.objectContaining({ reason: expect.objectContaining({ code }) }),
    );
  });
});
