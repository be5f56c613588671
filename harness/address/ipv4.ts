import { fail, q, type CodedReason } from './reason.ts';

/** Octets of the last address `checkIpv4` accepted; read them before the next call. */
export const ipv4Octets = new Uint8Array(4);

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Strict dotted quad: exactly four decimal parts 0–255, no leading zeros. inet_aton and
 * ipaddr.js also read `127.1`, `0x7f.0.0.1` and octal `010.0.0.1`; those forms mean different
 * addresses to different tools (010 is 8 to one, 10 to another), so sixgate refuses them.
 * Checks run part count first, then each part left to right. Undefined means valid.
 */
export function checkIpv4(s: string, start = 0, end = s.length): CodedReason | undefined {
  let dots = 0;
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === DOT) dots++;
  if (dots !== 3) {
    return fail(
      'IPV4_PART_COUNT',
      `${q(s.slice(start, end))} has ${dots + 1} dotted part${dots === 0 ? '' : 's'}; an IPv4 address has exactly four (shorthand such as 127.1 is not accepted)`,
    );
  }
  let i = start;
  for (let part = 0; part < 4; part++) {
    const partStart = i;
    let value = 0;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === DOT) break;
      if (c < ZERO || c > NINE) return notDecimal(s.slice(partStart, partEnd(s, i, end)));
      value = value * 10 + (c - ZERO);
    }
    const length = i - partStart;
    if (length === 0) return fail('IPV4_EMPTY_PART', `IPv4 part ${part + 1} is empty`);
    if (length > 1 && s.charCodeAt(partStart) === ZERO) {
      return fail(
        'IPV4_LEADING_ZERO',
        `IPv4 part ${q(s.slice(partStart, i))} has a leading zero, which some tools read as octal; write it without`,
      );
    }
    if (value > 255) {
      return fail('IPV4_OCTET_RANGE', `IPv4 part ${s.slice(partStart, i)} is over 255`);
    }
    ipv4Octets[part] = value;
    i++;
  }
  return undefined;
}

function partEnd(s: string, from: number, end: number): number {
  const dot = s.indexOf('.', from);
  return dot < 0 || dot > end ? end : dot;
}

function notDecimal(part: string): CodedReason {
  const hex = part.length > 1 && part[0] === '0' && (part[1] === 'x' || part[1] === 'X');
  return fail(
    'IPV4_NOT_DECIMAL',
    hex
      ? `IPv4 part ${q(part)} is hexadecimal; write each part in decimal`
      : `IPv4 part ${q(part)} is not a decimal number`,
  );
}

export function formatIpv4(octets: ArrayLike<number>, offset = 0): string {
  return `${octets[offset]}.${octets[offset + 1]}.${octets[offset + 2]}.${octets[offset + 3]}`;
}
