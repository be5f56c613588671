import { readAddress, whitespaceReason } from './address.ts';
import { AddressError } from './address-error.ts';
import { isReason } from './reason.ts';

export interface ParsedIp {
  kind: 'ipv4' | 'ipv6';
  /** RFC 5952 form (IPv6) or the dotted quad, without the zone. */
  address: string;
  zone?: string;
}

/**
 * A bare IPv4 or IPv6 address (IPv6 with an optional `%zone`), under the same strict rules as
 * the `ip` field. Throws AddressError with the verdict's reason.
 */
export function parseIp(text: string): ParsedIp {
  const result = whitespaceReason(text) ?? readAddress(text, 0);
  if (isReason(result)) throw new AddressError(text, result);
  return result.zone === undefined
    ? { kind: result.kind, address: result.canonical }
    : { kind: result.kind, address: result.canonical, zone: result.zone };
}
