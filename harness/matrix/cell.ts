import type { FailureClass, FailurePhase } from '../rpc/contract.ts';
import type { AgentSpec, NetworkMode, StartedHost } from '../providers/contract.ts';
import type { AgentRole } from './agents.ts';

/** What a cell expects of the target. */
export type Expectation =
  | { kind: 'connects' }
  | {
      kind: 'fails';
      /** The call must stop in one of these phases... */
      phases: FailurePhase[];
      /** ...and, when given, with one of these classes. */
      failures?: FailureClass[];
      /** A clear reason: the failure message must match. */
      mentions?: RegExp;
    }
  | { kind: 'listens'; display: string }
  /** Connects, and getVdsCapabilities reports the host's own addresses as `addr/prefixlen`. */
  | { kind: 'reports-addresses' };

export interface CellContext {
  mode: NetworkMode;
  agent: StartedHost;
  agentSpec: AgentSpec;
  peer: StartedHost;
}

/** A cell that cannot be formed on this topology, with the reason (reported as skipped). */
export interface Unformable {
  skip: string;
}

export interface Cell {
  /** Stable across runs: `sixgate run --cell <id>` re-runs exactly this cell. */
  id: string;
  title: string;
  /** Where the requirement comes from: the seed's documented form or an RFC section. */
  source: string;
  /** Where the client runs: on the agent's own host, or on the engine's host (the peer). */
  from: 'agent-host' | 'peer';
  role: AgentRole;
  /** The host spec as a person would type it. */
  spec(ctx: CellContext): string | Unformable;
  /** The certificate identity to verify when it is not the spec's own host. */
  identity?(ctx: CellContext): string | undefined;
  expect(mode: NetworkMode): Expectation;
  /** Skip in these modes, with the reason. */
  notIn?: Partial<Record<NetworkMode, string>>;
  /** Call without the run's client certificate, to check that mutual TLS is enforced. */
  withoutClientCert?: boolean;
  /** Host facilities the cell relies on (`localhost6`, `link-local`); a provider lists missing ones. */
  needs?: string[];
}

export function isUnformable(v: unknown): v is Unformable {
  return typeof v === 'object' && v !== null && 'skip' in v;
}
