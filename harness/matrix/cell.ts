// A matrix cell as data: where the client runs, the host spec it types, the verb it sends and
// what the target must do, per network mode. The runner (run-matrix.ts) turns one into a result.
import { SixgateError } from '../errors/index.ts';
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
  /**
   * Connects at management_ip once duplicate address detection there is over, and the agent
   * listens on that address, not on the wildcard: the address was tentative when it started.
   */
  | { kind: 'listens-on-management-ip' }
  /** Connects, and getVdsCapabilities reports the host's own addresses as `addr/prefixlen`. */
  | { kind: 'reports-addresses' }
  /** The verb is answered with status 0: the agent took the configuration. */
  | { kind: 'accepted' }
  /**
   * The verb is answered with a nonzero status (vdsm's way to refuse, not an XML-RPC fault), and
   * its message names each of these values: the person reading it must see what was wrong.
   */
  | { kind: 'refused'; names: string[] };

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
  /** The verb and its parameters. @default getVdsCapabilities with none */
  call?(ctx: CellContext): { method: string; params: unknown[] };
  expect(mode: NetworkMode): Expectation;
  /** Skip in these modes, with the reason. */
  notIn?: Partial<Record<NetworkMode, string>>;
  /** Call without the run's client certificate, to check that mutual TLS is enforced. */
  withoutClientCert?: boolean;
  /**
   * Host facilities the cell relies on (`localhost6`, `link-local`, `dad`: duplicate address
   * detection runs, and the run waits for it); a provider lists missing ones.
   */
  needs?: string[];
}

export function isUnformable(v: unknown): v is Unformable {
  return typeof v === 'object' && v !== null && 'skip' in v;
}

/**
 * A fact a cell needs that this topology does not offer (no ULA on a host, no AAAA-only name).
 * Neither the target's fault nor the harness's: every runner reports the cell as skipped with
 * this message as the reason.
 */
export class TopologyLacks extends SixgateError {
  constructor(readonly what: string) {
    super('SIXGATE_TOPOLOGY_LACKS', `the topology offers no ${what}`, {
      hint: 'run with --provider docker: it offers every fact a cell needs',
    });
  }
}

/** The value, or a skip naming what is missing: the one way cells ask the topology for a fact. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new TopologyLacks(what);
  return value;
}

/** A cell's spec, with a missing fact turned into the skip the matrix runner reports. */
export function formable(pick: () => string | Unformable): string | Unformable {
  try {
    return pick();
  } catch (err) {
    if (err instanceof TopologyLacks) return { skip: err.message };
    throw err;
  }
}
