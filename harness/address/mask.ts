import { checkIpv4, ipv4Octets } from './ipv4.ts';
import { fail, q, type CodedReason } from './reason.ts';

/**
 * Prefix length: decimal 0–`max`, no sign, no leading zeros, no '/' (`064` and `00` are refused:
 * a known validator accepted `00` while rejecting 109 and 119). 0 is valid (a default route).
 */
export function readPrefix(s: string, max: number): number | CodedReason {
  if (s.length === 0) return fail('EMPTY', 'no prefix length was given');
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      const slash = i === 0 && c === 47;
      return fail(
        'PREFIX_NOT_DECIMAL',
        slash
          ? `type the prefix length without '/': ${q(s.slice(1))}`
          : `prefix length ${q(s)} is not a decimal number 0–${max}`,
      );
    }
    value = value * 10 + (c - 48);
  }
  if (s.length > 1 && s.charCodeAt(0) === 48) {
    return fail('PREFIX_LEADING_ZERO', `prefix length ${q(s)} has a leading zero`);
  }
  if (value > max) return fail('PREFIX_RANGE', `prefix length ${s} is over ${max}`);
  return value;
}

export function maskOf(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${bits >>> 24}.${(bits >>> 16) & 255}.${(bits >>> 8) & 255}.${bits & 255}`;
}

/**
 * IPv4 netmask: a contiguous dotted mask (0.0.0.0 through 255.255.255.255) or a prefix length
 * 0–32, as engines' netmask fields take both. The canonical value is the dotted mask.
 */
export function readNetmask(s: string): string | CodedReason {
  if (s.indexOf('.') < 0) {
    const prefix = readPrefix(s, 32);
    return typeof prefix === 'number' ? maskOf(prefix) : prefix;
  }
  const bad = checkIpv4(s);
  if (bad) return bad;
  const bits =
    ((ipv4Octets[0]! << 24) | (ipv4Octets[1]! << 16) | (ipv4Octets[2]! << 8) | ipv4Octets[3]!) >>>
    0;
  const inverted = ~bits >>> 0;
  // Contiguous ones then zeros: the inverted mask plus one is a power of two.
  if ((inverted & (inverted + 1)) !== 0) {
    return fail('NETMASK_NOT_CONTIGUOUS', `netmask ${s} is not a run of ones followed by zeros`);
  }
  return s;
}
