// How the engine reaches an agent. The reference link hands harness/rpc a parsed HostSpec, so an
// IPv6 address, a zone or a name never passes through string concatenation or WHATWG URL.
import { call } from '../../rpc/index.ts';
import type { HostSpec } from '../../address/contract.ts';
import type { CallOutcome, TlsMaterial } from '../../rpc/contract.ts';

/** A validated host address, split as the address model returned it. */
export interface AgentTarget {
  kind: HostSpec['kind'];
  /** Canonical address without zone, or the lower-cased name. */
  host: string;
  zone?: string;
  port: number;
  /** The name or IP the agent's certificate is checked against; default: `host`. */
  identity?: string;
}

export type AgentLink = (
  target: AgentTarget,
  method: string,
  params: unknown[],
  tls: TlsMaterial,
) => Promise<CallOutcome>;

/** `[fe80::1%eth0]:54321`: how the engine writes a target in its own messages. */
export function displayTarget(target: AgentTarget): string {
  const host = target.zone === undefined ? target.host : `${target.host}%${target.zone}`;
  return target.kind === 'ipv6' ? `[${host}]:${target.port}` : `${host}:${target.port}`;
}

export const AGENT_TIMEOUT_MS = 5000;

export const referenceAgentLink: AgentLink = (target, method, params, tls) =>
  call({
    target: {
      input: displayTarget(target),
      kind: target.kind,
      host: target.host,
      ...(target.zone === undefined ? {} : { zone: target.zone }),
      port: target.port,
      portGiven: true,
    },
    method,
    params,
    tls: target.identity === undefined ? tls : { ...tls, identity: target.identity },
    timeoutMs: AGENT_TIMEOUT_MS,
  });
