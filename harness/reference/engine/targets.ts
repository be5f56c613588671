// Turning a valid host-address verdict into something the engine can connect to.
import { isIPv4, isIPv6 } from 'node:net';
import type { Verdict } from '../../address/contract.ts';
import type { AgentTarget } from './agent-link.ts';

export function targetFromVerdict(verdict: Verdict, port: number): AgentTarget {
  const text = verdict.canonical ?? verdict.host ?? verdict.input.trim().toLowerCase();
  const kind = isIPv6(text) ? 'ipv6' : isIPv4(text) ? 'ipv4' : 'name';
  return { kind, host: text, ...(verdict.zone === undefined ? {} : { zone: verdict.zone }), port };
}

/** `[fd00::5]:/exports` for NFS: an IPv6 host is bracketed, a zone kept after a literal `%`. */
export function formatStorageConnection(target: Omit<AgentTarget, 'port'>, path: string): string {
  const host = target.zone === undefined ? target.host : `${target.host}%${target.zone}`;
  return target.kind === 'ipv6' ? `[${host}]:${path}` : `${host}:${path}`;
}
