import {
  whitespaceReason,
  readAddress,
  readHost,
  type Addr,
  type Family,
  type HostName,
} from './address.ts';
import { classify } from './classify.ts';
import type { Field, Reason, Verdict } from './contract.ts';
import { readSpec } from './host-spec.ts';
import { readNetmask, readPrefix } from './mask.ts';
import { fail, isReason, type CodedReason } from './reason.ts';
import { readStorage } from './storage.ts';

/** The fields `validate` and `sixgate validate --field` take, in the order help lists them. */
export const FIELDS: readonly Field[] = Object.freeze([
  'ipv4',
  'ipv6',
  'ip',
  'host',
  'prefix',
  'netmask',
  'gateway',
  'storage',
  'endpoint',
]);

const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);

/** The fields an engine has: every field but `endpoint`, the client's own host-spec grammar. */
export type EngineField = Exclude<Field, 'endpoint'>;
export const isEngineField = (f: string): f is EngineField => f !== 'endpoint' && FIELD_SET.has(f);
export const ENGINE_FIELDS: readonly EngineField[] = Object.freeze(FIELDS.filter(isEngineField));

export function isField(name: string): name is Field {
  return FIELD_SET.has(name);
}

const OK: Readonly<Record<Field, Reason>> = Object.freeze({
  ipv4: ok('a valid IPv4 address'),
  ipv6: ok('a valid IPv6 address'),
  ip: ok('a valid IP address'),
  host: ok('a valid host'),
  prefix: ok('a valid prefix length'),
  netmask: ok('a valid IPv4 netmask'),
  gateway: ok('a valid gateway'),
  storage: ok('a valid storage address'),
  endpoint: ok('a valid endpoint'),
});

function ok(message: string): Reason {
  return Object.freeze({ code: 'OK', message });
}

function okWith(field: Field, note: string | undefined): Reason {
  return note === undefined ? OK[field] : { code: 'OK', message: `${OK[field].message}; ${note}` };
}

function refused(input: string, field: Field, reason: Reason): Verdict {
  return { input, field, valid: false, reason };
}

function addressVerdict(
  input: string,
  field: Field,
  result: Addr | HostName,
  withHost: boolean,
): Verdict {
  const note = result.kind === 'name' ? undefined : result.note;
  const verdict: Verdict = { input, field, valid: true, reason: okWith(field, note) };
  if (result.kind !== 'name') {
    verdict.canonical = result.canonical;
    if (result.zone !== undefined) verdict.zone = result.zone;
  }
  if (withHost) verdict.host = result.canonical;
  return verdict;
}

/**
 * A gateway is where packets go next, so it must be a unicast address some neighbour owns:
 * not unspecified, multicast, loopback, IPv4 limited broadcast, or IPv4-mapped (never seen on
 * the wire). Link-local is valid, with or without a zone: IPv6 routers advertise their
 * link-local address and that is the usual IPv6 gateway (RFC 4861 §4.2).
 */
function gatewayReason(address: Addr): CodedReason | undefined {
  if (address.kind === 'ipv4' && address.canonical === '255.255.255.255') {
    return fail('GATEWAY_BROADCAST', '255.255.255.255 is the broadcast address, not a gateway');
  }
  switch (classify({ kind: address.kind, address: address.canonical })) {
    case 'unspecified':
      return fail(
        'GATEWAY_UNSPECIFIED',
        `${address.canonical} is unspecified; a gateway must be a unicast address`,
      );
    case 'multicast':
      return fail(
        'GATEWAY_MULTICAST',
        `${address.canonical} is multicast; a gateway must be a unicast address`,
      );
    case 'loopback':
      return fail(
        'GATEWAY_LOOPBACK',
        `${address.canonical} is loopback; a route through it never leaves the host`,
      );
    case 'ipv4-mapped':
      return fail(
        'GATEWAY_IPV4_MAPPED',
        `${address.canonical} is IPv4-mapped; give the IPv4 gateway itself`,
      );
    default:
      return undefined;
  }
}

const FAMILY: Partial<Record<Field, Family>> = { ipv4: 4, ipv6: 6, ip: 0, gateway: 0 };

/**
 * Check one value typed into a field. Never throws for bad input: the verdict says why.
 * Only `host` trims surrounding whitespace (as engines' host fields do); elsewhere any
 * whitespace is refused, since a stray space in a command line or config is a mistake to show.
 */
export function validate(field: Field, input: string): Verdict {
  let text = input;
  if (field === 'host') text = input.trim();
  if (text.length === 0)
    return refused(input, field, fail('EMPTY', `no value was given for ${field}`));
  const space = whitespaceReason(text);
  if (space) return refused(input, field, space);
  switch (field) {
    case 'ipv4':
    case 'ipv6':
    case 'ip':
    case 'gateway': {
      const result = readAddress(text, FAMILY[field]!);
      if (isReason(result)) return refused(input, field, result);
      const bad = field === 'gateway' ? gatewayReason(result) : undefined;
      return bad ? refused(input, field, bad) : addressVerdict(input, field, result, false);
    }
    case 'host': {
      const result = readHost(text);
      return isReason(result)
        ? refused(input, field, result)
        : addressVerdict(input, field, result, true);
    }
    case 'prefix': {
      const result = readPrefix(text, 128);
      if (typeof result !== 'number') return refused(input, field, result);
      return { input, field, valid: true, reason: OK.prefix, canonical: String(result) };
    }
    case 'netmask': {
      const result = readNetmask(text);
      if (typeof result !== 'string') return refused(input, field, result);
      return { input, field, valid: true, reason: OK.netmask, canonical: result };
    }
    case 'storage': {
      const result = readStorage(text);
      if (isReason(result)) return refused(input, field, result);
      const verdict = addressVerdict(input, field, result.host, true);
      verdict.path = result.path;
      return verdict;
    }
    case 'endpoint': {
      const spec = readSpec(text);
      if (isReason(spec)) return refused(input, field, spec);
      const verdict: Verdict = { input, field, valid: true, reason: okWith(field, spec.note) };
      if (spec.kind !== 'name') verdict.canonical = spec.host;
      if (spec.zone !== undefined) verdict.zone = spec.zone;
      verdict.host = spec.host;
      verdict.port = spec.port;
      return verdict;
    }
  }
}
