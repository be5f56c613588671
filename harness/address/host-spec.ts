import { readAddress, readHost, whitespaceReason, type Addr, type HostName } from './address.ts';
import { AddressError } from './address-error.ts';
import { DEFAULT_AGENT_PORT, type HostSpec } from './contract.ts';
import { fail, isReason, q, type CodedReason } from './reason.ts';

export interface ReadSpec extends HostSpec {
  note?: string;
}

const SPEC_HINT = 'write [address]:port for IPv6, e.g. [fe80::1%eth0]:54321, or host:port';

/**
 * Port: decimal 1–65535, no sign, no leading zeros (`080` is refused rather than read as 80 by
 * one tool and octal by another). Port 0 asks the kernel for any port: meaningless to connect.
 */
function readPort(s: string, start: number): number | CodedReason {
  const end = s.length;
  if (start === end)
    return fail('PORT_EMPTY', `nothing follows ':' in ${q(s)}; give a port or drop the ':'`);
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      return fail('PORT_NOT_DECIMAL', `port ${q(s.slice(start))} is not a decimal number`);
    }
    value = value * 10 + (c - 48);
  }
  if (end - start > 1 && s.charCodeAt(start) === 48) {
    return fail('PORT_LEADING_ZERO', `port ${q(s.slice(start))} has a leading zero`);
  }
  if (value < 1 || value > 65535) {
    return fail('PORT_RANGE', `port ${s.slice(start)} is outside 1–65535`);
  }
  return value;
}

/**
 * The host-spec grammar: `[v6%zone]`, `[v6%zone]:port`, `v4`, `v4:port`, `name`, `name:port`,
 * and a bare IPv6 literal (`::1`, `fe80::1%eth0`), which is always a whole address: text with
 * two or more colons and no brackets is never split into host and port (an older client's
 * regex read `::1` as host ':' port 1). No trimming: on a command line, spaces are a mistake.
 */
export function readSpec(s: string, defaultPort = DEFAULT_AGENT_PORT): ReadSpec | CodedReason {
  if (s.length === 0) return fail('EMPTY', 'no host spec was given');
  let host: Addr | HostName | CodedReason;
  let portAt = -1;
  if (s.charCodeAt(0) === 91) {
    const close = s.indexOf(']');
    if (close < 0) return fail('SPEC_UNCLOSED_BRACKET', `${q(s)} opens '[' but never closes it`);
    if (close === 1) return fail('SPEC_EMPTY_HOST', `${q(s)} has nothing between the brackets`);
    const inner = s.indexOf(':', 1);
    if (inner < 0 || inner > close) {
      return fail(
        'SPEC_BRACKETED_NOT_IPV6',
        `brackets hold an IPv6 address only; write ${q(s.slice(1, close))} without them`,
      );
    }
    host = readAddress(s, 6, 1, close);
    if (isReason(host)) return host;
    if (close + 1 < s.length) {
      if (s.charCodeAt(close + 1) !== 58) {
        return fail('SPEC_TRAILING_TEXT', `${q(s.slice(close + 1))} follows ']'; only ':port' may`);
      }
      portAt = close + 2;
    }
  } else {
    const first = s.indexOf(':');
    if (first >= 0 && s.indexOf(':', first + 1) > first) {
      host = readAddress(s, 0);
    } else {
      if (first === 0) return fail('SPEC_EMPTY_HOST', `${q(s)} has a port but no host`);
      host = readHost(s, 0, first < 0 ? s.length : first);
      if (first >= 0) portAt = first + 1;
    }
  }
  if (isReason(host)) return host;
  let port = defaultPort;
  if (portAt >= 0) {
    const read = readPort(s, portAt);
    if (typeof read !== 'number') return read;
    port = read;
  }
  const spec: ReadSpec = {
    input: s,
    kind: host.kind,
    host: host.canonical,
    port,
    portGiven: portAt >= 0,
  };
  if (host.kind !== 'name' && host.zone !== undefined) spec.zone = host.zone;
  if (host.kind !== 'name' && host.note !== undefined) spec.note = host.note;
  return spec;
}

/** Parse what a user typed for an endpoint; throws AddressError with the verdict's reason. */
export function parseHostSpec(text: string, defaultPort = DEFAULT_AGENT_PORT): HostSpec {
  const spec = whitespaceReason(text) ?? readSpec(text, defaultPort);
  if (isReason(spec)) throw new AddressError(text, spec, SPEC_HINT);
  const { note: _note, ...plain } = spec;
  return plain;
}

type SpecLike = Pick<HostSpec, 'kind' | 'host' | 'port'> & { zone?: string | undefined };

/** `[fe80::1%eth0]:54321`, `192.0.2.1:54321`, `name:54321`: the form a person types (RFC 9844). */
export function formatHostPort(spec: SpecLike): string {
  return spec.kind === 'ipv6' ? `[${connectHost(spec)}]:${spec.port}` : `${spec.host}:${spec.port}`;
}

/** A URL authority for tools that take RFC 6874 URLs (curl): the zone's `%` encoded as `%25`. */
export function formatUrlAuthority(spec: SpecLike): string {
  if (spec.kind !== 'ipv6') return `${spec.host}:${spec.port}`;
  const zone = spec.zone === undefined ? '' : `%25${spec.zone}`;
  return `[${spec.host}${zone}]:${spec.port}`;
}

/** The host for net.connect: `fe80::1%eth0`, no brackets, zone with a literal `%`. */
export function connectHost(spec: Pick<SpecLike, 'host' | 'zone'>): string {
  return spec.zone === undefined ? spec.host : `${spec.host}%${spec.zone}`;
}
