import ipaddr from 'ipaddr.js';
import type { CallOutcome } from '../rpc/contract.ts';
import type { Listener } from '../probe/contract.ts';
import type { Expectation } from './cell.ts';

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'connects':
      return 'getVdsCapabilities returns status 0 and lastClient names the caller';
    case 'listens':
      return `a LISTEN socket shown as ${e.display}`;
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

/** Undefined when the outcome meets the expectation; otherwise why not. */
export function checkCall(e: Expectation, o: CallOutcome): string | undefined {
  if (e.kind === 'connects') {
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

export function checkListeners(display: string, listeners: Listener[]): string | undefined {
  if (listeners.some((l) => l.display === display)) return undefined;
  const shown = listeners.map((l) => l.display).join(', ') || 'none';
  return `no LISTEN socket ${display}; the agent's namespace listens on: ${shown}`;
}
