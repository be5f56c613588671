// Verdicts on one cell's observations: a call's outcome, the agent's capabilities, its listeners.
// Each check answers undefined when the target did what the cell expects, else why not.
import ipaddr from 'ipaddr.js';
import type { CallOutcome } from '../rpc/contract.ts';
import type { Listener } from '../probe/contract.ts';
import type { StartedHost } from '../providers/contract.ts';
import type { Expectation } from './cell.ts';

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'connects':
      return 'getVdsCapabilities returns status 0 and lastClient names the caller';
    case 'listens':
      return `a LISTEN socket shown as ${e.display}`;
    case 'listens-on-management-ip':
      return 'once DAD is over, getVdsCapabilities at management_ip returns status 0 and lastClient names the caller, and the agent listens on that address, not on the wildcard';
    case 'reports-addresses':
      return "getVdsCapabilities lists the host's ULA and link-local (and IPv4) as addr/prefixlen, and an ipv6gateway";
    case 'accepted':
      return 'answered with status 0 (accepted)';
    case 'refused':
      return `refused with a nonzero status whose message names ${e.names.map((n) => `'${n}'`).join(' and ')}`;
    case 'fails':
      return `fails in ${e.phases.join(' or ')}${e.failures ? ` (${e.failures.join(' or ')})` : ''}${
        e.mentions ? `, saying ${e.mentions}` : ''
      }`;
  }
}

export function describeOutcome(o: CallOutcome): string {
  if (o.ok) {
    const to = o.remote ? ` via ${o.remote.address} port ${o.remote.port}` : '';
    return `connected${to}, lastClient ${String(lastClientOf(o.value) ?? 'missing')}`;
  }
  return `${o.phase}/${o.failure}${o.code ? ` ${o.code}` : ''}: ${o.message}`;
}

/** One spelling per address: no zone, IPv4-mapped as dotted IPv4, RFC 5952 otherwise. */
export function sameHost(text: string): string {
  const bare = text.replace(/%.*$/, '').toLowerCase();
  try {
    const parsed = ipaddr.parse(bare);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (parsed as ipaddr.IPv6).toIPv4Address().toString();
    }
    return parsed.toString();
  } catch {
    return bare;
  }
}

export function lastClientOf(value: unknown): unknown {
  const info = (value as { info?: { lastClient?: unknown } } | undefined)?.info;
  return info?.lastClient;
}

/**
 * Whether a message names a value: as a whole token (quoted or not), so `::` is not found inside
 * `fd00::10` nor `12` inside `128`; an empty value is named only by quoting it ('' or "").
 */
export function namesValue(message: string, value: string): boolean {
  if (value === '') return /''|""/.test(message);
  const edge = value.includes(':') ? '[0-9A-Za-z:]' : '[0-9A-Za-z]';
  const text = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<!${edge})${text}(?!${edge})`).test(message);
}

/** Undefined when the outcome meets the expectation; otherwise why not. */
export function checkCall(e: Expectation, o: CallOutcome): string | undefined {
  if (e.kind === 'accepted') {
    return o.ok ? undefined : `expected the agent to accept, but ${describeOutcome(o)}`;
  }
  if (e.kind === 'refused') {
    if (o.ok) return 'the agent accepted it (status 0)';
    if (o.phase !== 'rpc' || o.failure !== 'status-nonzero') {
      return `expected ${describeExpectation(e)}, got ${describeOutcome(o)}`;
    }
    const unnamed = e.names.filter((n) => !namesValue(o.message, n));
    return unnamed.length
      ? `the refusal does not name ${unnamed.map((n) => `'${n}'`).join(', ')}: ${o.message}`
      : undefined;
  }
  if (
    e.kind === 'connects' ||
    e.kind === 'reports-addresses' ||
    e.kind === 'listens-on-management-ip'
  ) {
    if (!o.ok) return `expected to connect, but ${describeOutcome(o)}`;
    const reported = lastClientOf(o.value);
    if (typeof reported !== 'string') return 'the reply carries no lastClient';
    if (!o.local) return 'the client did not record its own address';
    if (sameHost(reported) !== sameHost(o.local.address)) {
      return `the agent reported lastClient ${reported}, but the client connected from ${o.local.address}`;
    }
    return undefined;
  }
  if (e.kind === 'fails') {
    if (o.ok) return `expected to fail (${describeExpectation(e)}), but it connected`;
    if (!e.phases.includes(o.phase))
      return `expected ${describeExpectation(e)}, got ${describeOutcome(o)}`;
    if (e.failures && !e.failures.includes(o.failure)) {
      return `expected ${describeExpectation(e)}, got ${describeOutcome(o)}`;
    }
    if (e.mentions && !e.mentions.test(o.message)) {
      return `the reason does not say ${e.mentions}: ${o.message}`;
    }
    return undefined;
  }
  return 'internal: a listener expectation checked against a call';
}

type Nic = { ipv4addrs?: unknown; ipv6addrs?: unknown; ipv6gateway?: unknown };

/** `addr/prefixlen` in one spelling, or undefined when it is not that shape. */
function cidr(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  return m ? `${sameHost(m[1]!)}/${Number(m[2])}` : undefined;
}

/**
 * The agent's own view of its addresses must match what its namespace really has: the engine
 * shows these in its NIC table, and a wrong one is how an IPv6-blind agent gives itself away.
 */
export function checkCapabilities(o: CallOutcome, host: StartedHost): string | undefined {
  const connected = checkCall({ kind: 'connects' }, o);
  if (connected || !o.ok) return connected;
  const iface = host.primary.iface;
  const nics = (o.value as { info?: { nics?: Record<string, Nic> } }).info?.nics;
  const nic = nics?.[iface];
  if (!nic)
    return `getVdsCapabilities has no nic ${iface}; nics: ${Object.keys(nics ?? {}).join(', ') || 'none'}`;
  const reported = Array.isArray(nic.ipv6addrs) ? nic.ipv6addrs : [];
  const malformed = reported.filter((a) => cidr(a) === undefined);
  if (malformed.length) return `ipv6addrs entries not addr/prefixlen: ${JSON.stringify(malformed)}`;
  const have = new Set(reported.map(cidr));
  const real = host.interfaces.find((i) => i.name === iface);
  const missing = [
    ...(real?.ipv6 ?? [])
      .filter((a) => a.scope !== 'host')
      .map((a) => `${sameHost(a.address)}/${a.prefixLength}`),
  ].filter((a) => !have.has(a));
  if (missing.length) return `ipv6addrs ${JSON.stringify(reported)} lacks ${missing.join(', ')}`;
  const v4 = new Set((Array.isArray(nic.ipv4addrs) ? nic.ipv4addrs : []).map(cidr));
  const v4missing = (real?.ipv4 ?? [])
    .map((a) => `${a.address}/${a.prefixLength}`)
    .filter((a) => !v4.has(a));
  if (v4missing.length)
    return `ipv4addrs ${JSON.stringify(nic.ipv4addrs)} lacks ${v4missing.join(', ')}`;
  const gw = nic.ipv6gateway;
  if (typeof gw !== 'string' || !ipaddr.IPv6.isValid(gw.replace(/%.*$/, ''))) {
    return `ipv6gateway is ${JSON.stringify(nic.ipv6gateway)}, not an IPv6 address ('::' when none)`;
  }
  return undefined;
}

/** Listening on `address` port `port`, and on no wildcard with that port. */
export function checkListensOn(
  address: string,
  port: number,
  listeners: Listener[],
): string | undefined {
  const mine = listeners.filter((l) => l.port === port);
  const shown = listeners.map((l) => l.display).join(', ') || 'none';
  const wildcard = mine.find((l) => l.address === '::' || l.address === '0.0.0.0');
  if (wildcard) {
    return `the agent listens on the wildcard ${wildcard.display}, not on its management_ip ${address}; its namespace listens on: ${shown}`;
  }
  if (mine.some((l) => sameHost(l.address) === sameHost(address))) return undefined;
  return `no LISTEN socket on ${address} port ${port}; the agent's namespace listens on: ${shown}`;
}

export function checkListeners(display: string, listeners: Listener[]): string | undefined {
  if (listeners.some((l) => l.display === display)) return undefined;
  const shown = listeners.map((l) => l.display).join(', ') || 'none';
  return `no LISTEN socket ${display}; the agent's namespace listens on: ${shown}`;
}
