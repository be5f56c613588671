import { fail, q, type CodedReason } from './reason.ts';

/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const MAX_ZONE_LENGTH = 15;

function isZoneChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    ((c | 0x20) >= 97 && (c | 0x20) <= 122) ||
    c === 95 /* _ */ ||
    c === 46 /* . */ ||
    c === 45 /* - */
  );
}

/**
 * RFC 4007 §11 zone: an interface name or a numeric interface index. Names are limited to
 * [A-Za-z0-9_.-] (what `ip link` names use in practice: eth0, br-0a1b2c3d4e5f, eth0.100,
 * ovirtmgmt) and 15 characters; anything else would not name a Linux interface anyway. An
 * all-digit zone is an index: 1 to 2^32-1 without leading zeros (0 means "no zone").
 */
export function checkZone(zone: string): CodedReason | undefined {
  if (zone.length === 0) {
    return fail(
      'ZONE_EMPTY',
      "nothing follows '%': name the interface, e.g. %eth0, or drop the '%'",
    );
  }
  let digits = true;
  for (let i = 0; i < zone.length; i++) {
    const c = zone.charCodeAt(i);
    if (!isZoneChar(c)) {
      return fail(
        'ZONE_BAD_CHAR',
        `zone ${q(zone)} has ${q(zone[i]!)}; an interface name uses letters, digits, '_', '.', '-'`,
      );
    }
    if (c < 48 || c > 57) digits = false;
  }
  if (zone.length > MAX_ZONE_LENGTH) {
    return fail(
      'ZONE_TOO_LONG',
      `zone ${q(zone)} is longer than ${MAX_ZONE_LENGTH} characters, the Linux interface name limit`,
    );
  }
  if (digits && (zone.charCodeAt(0) === 48 || Number(zone) > 0xffffffff)) {
    return fail(
      'ZONE_BAD_INDEX',
      `numeric zone ${zone} is not an interface index (1 to 4294967295, no leading zeros)`,
    );
  }
  return undefined;
}

/**
 * Users paste URL forms (`[fe80::1%25eth0]`). RFC 9844 has people type a literal `%`, so the
 * `25` is part of the zone; say so rather than guess, since `%25` could be a real index 25.
 */
export function zoneNote(zone: string): string | undefined {
  if (zone.length < 2 || zone.charCodeAt(0) !== 50 || zone.charCodeAt(1) !== 53) return undefined;
  const read = `zone read as ${q(zone)}: in typed text the zone follows a literal '%' (RFC 9844), so '%25' is not decoded as it would be in a URL`;
  return zone.length === 2
    ? read
    : `${read}; if you meant ${q(zone.slice(2))}, type %${zone.slice(2)}`;
}
