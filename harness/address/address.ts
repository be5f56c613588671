import { checkIpv4 } from './ipv4.ts';
import { checkIpv6, formatIpv6, ipv6Groups } from './ipv6.ts';
import { checkName, looksNumeric } from './name.ts';
import { fail, q, type CodedReason } from './reason.ts';
import { checkZone, zoneNote } from './zone.ts';

/** A bare address as typed, after the strict checks. */
export interface Addr {
  kind: 'ipv4' | 'ipv6';
  /** RFC 5952 form (IPv6) or the dotted quad, without the zone. */
  canonical: string;
  zone?: string;
  /** Said to the user next to a valid verdict, e.g. how a `%25` zone was read. */
  note?: string;
}

export interface HostName {
  kind: 'name';
  /** Lower-cased: DNS names are case-insensitive (RFC 4343). */
  canonical: string;
}

/** Which family a field takes; 0 for either. */
export type Family = 0 | 4 | 6;

const BRACKET_OPEN = 91;
const BRACKET_CLOSE = 93;

function whitespaceAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff) {
      return i;
    }
  }
  return -1;
}

/** Whitespace anywhere is refused with its own reason, before any grammar sees the text. */
export function whitespaceReason(s: string): CodedReason | undefined {
  const at = whitespaceAt(s);
  return at < 0
    ? undefined
    : fail('WHITESPACE', `${q(s)} has whitespace at position ${at + 1}; remove it`);
}

/**
 * Zones are meaningful only where RFC 4007 scopes an address to a link: link-local unicast
 * (fe80::/10) and interface- or link-local multicast (ffx1::/16, ffx2::/16). On a global or
 * unique-local address the kernel ignores the zone, so `2001:db8::1%eth0` would silently not
 * mean "via eth0" as the user believes, and a mistyped zone would go unnoticed: refused.
 * Loopback counts as unscoped here for the same reason.
 */
function isScoped(g0: number): boolean {
  if ((g0 & 0xffc0) === 0xfe80) return true;
  if ((g0 & 0xff00) !== 0xff00) return false;
  const scope = g0 & 0xf;
  return scope === 1 || scope === 2;
}

/** A bare IPv4 or IPv6 address, IPv6 with an optional `%zone`, no brackets. */
export function readAddress(
  s: string,
  family: Family,
  start = 0,
  end = s.length,
): Addr | CodedReason {
  if (start === end) return fail('EMPTY', 'no address was given');
  let pct = -1;
  let colon = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === BRACKET_OPEN || c === BRACKET_CLOSE) {
      return fail(
        'IPV6_BRACKETS',
        `${q(s.slice(start, end))} has brackets; they go around an IPv6 address only in a host spec or URL, type the bare address here`,
      );
    }
    if (c === 37 && pct < 0) pct = i;
    else if (c === 58 && pct < 0) colon = true;
  }
  const addrEnd = pct < 0 ? end : pct;
  if (colon) {
    const bad = checkIpv6(s, start, addrEnd);
    if (bad) return family === 4 ? (checkIpv4(s, start, addrEnd) ?? bad) : bad;
    if (family === 4) {
      return fail(
        'WRONG_FAMILY',
        `${q(s.slice(start, addrEnd))} is an IPv6 address; this field takes IPv4`,
      );
    }
    const canonical = formatIpv6(ipv6Groups);
    if (pct < 0) return { kind: 'ipv6', canonical };
    const zone = s.slice(pct + 1, end);
    const badZone = checkZone(zone);
    if (badZone) return badZone;
    if (!isScoped(ipv6Groups[0]!)) {
      return fail(
        'ZONE_ON_UNSCOPED',
        `zone %${zone} on ${canonical}, which is not link-local: a zone selects an interface only for scoped addresses (fe80::/10, ff01/ff02 multicast), so drop it`,
      );
    }
    const note = zoneNote(zone);
    return note === undefined
      ? { kind: 'ipv6', canonical, zone }
      : { kind: 'ipv6', canonical, zone, note };
  }
  const bad = checkIpv4(s, start, addrEnd);
  if (family === 6) {
    return bad
      ? (checkIpv6(s, start, addrEnd) ?? bad)
      : fail(
          'WRONG_FAMILY',
          `${q(s.slice(start, addrEnd))} is an IPv4 address; this field takes IPv6`,
        );
  }
  if (bad) return bad;
  if (pct >= 0) {
    return fail('ZONE_ON_IPV4', `IPv4 addresses have no zones; drop ${q(s.slice(pct, end))}`);
  }
  return { kind: 'ipv4', canonical: s.slice(start, addrEnd) };
}

/**
 * What the `host` field and the host part of a host spec or storage path accept: an address,
 * or an RFC 1123 name. Text whose last label is numeric is an address attempt (see looksNumeric).
 */
export function readHost(s: string, start = 0, end = s.length): Addr | HostName | CodedReason {
  if (start === end) return fail('EMPTY', 'no host was given');
  let pct = s.indexOf('%', start);
  if (pct < 0 || pct >= end) pct = end;
  let address = false;
  for (let i = start; i < end && !address; i++) {
    const c = s.charCodeAt(i);
    address = c === 58 || c === BRACKET_OPEN || c === BRACKET_CLOSE;
  }
  if (address || looksNumeric(s, start, pct)) return readAddress(s, 0, start, end);
  const bad = checkName(s, start, end);
  if (bad) return bad;
  return { kind: 'name', canonical: s.slice(start, end).toLowerCase() };
}
