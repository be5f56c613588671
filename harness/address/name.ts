import { fail, q, type CodedReason } from './reason.ts';

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 45;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/**
 * True when resolvers would read the text as an IPv4 number rather than a name: its last label
 * (ignoring one trailing dot) is all digits or `0x` hex, as inet_aton parses. RFC 1123 §2.1
 * keeps names from looking like dotted decimal; such text is checked as (strict) IPv4 instead,
 * so `127.1` and `1.2.3` get an IPv4 reason, never pass as names.
 */
export function looksNumeric(s: string, start = 0, end = s.length): boolean {
  if (end > start && s.charCodeAt(end - 1) === 46) end--;
  const labelStart = s.lastIndexOf('.', end - 1) + 1;
  const from = Math.max(labelStart, start);
  if (from >= end) return false;
  let i = from;
  let hex = false;
  if (end - i >= 2 && s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    hex = true;
    i += 2;
  }
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (hex ? !isHexDigit(c) : c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * RFC 1123 §2.1 host name: labels of 1–63 letters, digits and hyphens, not starting or ending
 * with a hyphen, at most 253 characters. One trailing dot (a fully qualified name) is allowed
 * and kept: dropping it would change how the resolver applies search domains. Underscores are
 * refused: they belong to service labels (RFC 2782), not host names.
 */
export function checkName(s: string, start = 0, end = s.length): CodedReason | undefined {
  const bodyEnd = end > start + 1 && s.charCodeAt(end - 1) === 46 ? end - 1 : end;
  if (bodyEnd - start > 253) {
    return fail('NAME_TOO_LONG', `host name is ${bodyEnd - start} characters; the limit is 253`);
  }
  let labelStart = start;
  for (let i = start; i <= bodyEnd; i++) {
    const c = i === bodyEnd ? 46 : s.charCodeAt(i);
    if (c !== 46) {
      if (!isNameChar(c)) {
        return fail(
          'NAME_BAD_CHAR',
          `host name ${q(s.slice(start, end))} has ${q(s[i]!)}; names use letters, digits, '-' and '.'`,
        );
      }
      continue;
    }
    const length = i - labelStart;
    if (length === 0) {
      return fail('NAME_EMPTY_LABEL', `host name ${q(s.slice(start, end))} has an empty label`);
    }
    if (length > 63) {
      return fail(
        'NAME_LABEL_TOO_LONG',
        `a host name label has ${length} characters; the limit is 63`,
      );
    }
    if (s.charCodeAt(labelStart) === 45 || s.charCodeAt(i - 1) === 45) {
      return fail(
        'NAME_HYPHEN',
        `label ${q(s.slice(labelStart, i))} starts or ends with '-', which RFC 1123 forbids`,
      );
    }
    labelStart = i + 1;
  }
  return undefined;
}
