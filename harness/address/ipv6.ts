import { checkIpv4, ipv4Octets } from './ipv4.ts';
import { fail, q, type CodedReason } from './reason.ts';

/** Groups of the last address `checkIpv6` accepted; read them before the next call. */
export const ipv6Groups = new Uint16Array(8);

const COLON = 58;
const DOT = 46;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Every RFC 4291 §2.2 text form: full, `::`-compressed, and a dotted IPv4 suffix in the last 32
 * bits (strict decimal, as `checkIpv4`). `::` stands for one or more zero groups (RFC 4291
 * §2.2 item 2), so eight explicit groups plus `::` (`1:2:3:4:5:6:7::8`) is refused: the `::`
 * would stand for nothing. One pass, no regex, no backtracking. The text must hold no zone.
 */
export function checkIpv6(s: string, start = 0, end = s.length): CodedReason | undefined {
  const text = (): string => q(s.slice(start, end));
  let count = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON || i + 1 >= end) {
      return fail('IPV6_EMPTY_GROUP', `${text()} starts with a single ':'`);
    }
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let j = i;
    let value = 0;
    for (; j < end; j++) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
    }
    if (j < end && s.charCodeAt(j) === DOT) {
      if (count > 6) return tooMany(text());
      const inner = checkIpv4(s, i, end);
      if (inner) {
        return fail(
          'IPV6_BAD_IPV4_SUFFIX',
          `the dotted IPv4 part ${q(s.slice(i, end))} must be last and valid: ${inner.message}`,
        );
      }
      ipv6Groups[count++] = (ipv4Octets[0]! << 8) | ipv4Octets[1]!;
      ipv6Groups[count++] = (ipv4Octets[2]! << 8) | ipv4Octets[3]!;
      i = end;
      break;
    }
    const digits = j - i;
    if (digits === 0) {
      if (j < end && s.charCodeAt(j) !== COLON) return badChar(s, j, text());
      return fail('IPV6_EMPTY_GROUP', `${text()} has an empty group (a stray ':')`);
    }
    if (digits > 4) {
      return fail(
        'IPV6_GROUP_TOO_LONG',
        `group ${q(s.slice(i, j))} has ${digits} hex digits; a group has at most 4`,
      );
    }
    if (count === 8) return tooMany(text());
    ipv6Groups[count++] = value;
    if (j === end) {
      i = j;
      break;
    }
    if (s.charCodeAt(j) !== COLON) return badChar(s, j, text());
    j++;
    if (j === end) return fail('IPV6_EMPTY_GROUP', `${text()} ends with a single ':'`);
    if (s.charCodeAt(j) === COLON) {
      if (gap >= 0) {
        return fail('IPV6_MULTIPLE_DOUBLE_COLON', `${text()} has more than one '::'`);
      }
      gap = count;
      j++;
    }
    i = j;
  }
  if (gap < 0) {
    if (count < 8) {
      return fail(
        'IPV6_TOO_FEW_GROUPS',
        `${text()} has ${count} group${count === 1 ? '' : 's'} and no '::'; an IPv6 address has 8`,
      );
    }
    return undefined;
  }
  if (count > 7) {
    return fail(
      'IPV6_TOO_MANY_GROUPS',
      `${text()} has 8 groups and a '::', which must stand for at least one zero group`,
    );
  }
  const shift = 8 - count;
  for (let k = count - 1; k >= gap; k--) ipv6Groups[k + shift] = ipv6Groups[k]!;
  for (let k = gap; k < gap + shift; k++) ipv6Groups[k] = 0;
  return undefined;
}

function tooMany(text: string): CodedReason {
  return fail('IPV6_TOO_MANY_GROUPS', `${text} has more than 8 groups`);
}

function badChar(s: string, at: number, text: string): CodedReason {
  return fail('IPV6_BAD_CHAR', `${text} has ${q(s[at]!)} at position ${at + 1}, not a hex digit`);
}

/**
 * RFC 5952 §4: lower case, no leading zeros, the longest run of two or more zero groups
 * compressed (the first on a tie), and §5: IPv4-mapped addresses in mixed notation. Other
 * IPv4-embedding prefixes (64:ff9b::/96, deprecated ::a.b.c.d) stay hex: §5 leaves it to the
 * writer, and hex is what `ip -6 addr` prints.
 */
export function formatIpv6(g: ArrayLike<number>): string {
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let k = 0; k < 8; k++) {
    if (g[k] !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = k;
    if (k - runStart + 1 > bestLength) {
      bestLength = k - runStart + 1;
      bestStart = runStart;
    }
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLength - 1;
      continue;
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== COLON) out += ':';
    out += g[k]!.toString(16);
  }
  return out;
}
