// An engine cell as data: a requirement checked end to end through the engine's API against the
// target's real agents, the agent roles it drives, and what it expects per network mode.
import type { EngineClient } from '../engine-client/client.ts';
import type { AgentRole } from '../matrix/agents.ts';
import type { NetworkMode, StartedHost, StartedTopology } from '../providers/contract.ts';

export interface EngineContext {
  mode: NetworkMode;
  client: EngineClient;
  engine: NonNullable<StartedTopology['engine']>;
  /** The target's agent on `management_ip = ::`. */
  agent: StartedHost;
  /** The target's agent on `management_ip = 0.0.0.0`: IPv4 only. */
  ipv4Only: StartedHost;
  tls: StartedTopology['tls'];
}

/**
 * Undefined when the engine did what the cell asks; otherwise what it did instead. A fact the
 * topology lacks is thrown as TopologyLacks (`need()`): a skip with the reason.
 */
export type EngineCheck = (ctx: EngineContext) => Promise<string | undefined>;

/** One end-to-end requirement on the engine, run through its API against real agents. */
export interface EngineCell {
  id: string;
  title: string;
  source: string;
  /** The agents it adds or configures: `ctx.agent` is the wildcard role, `ctx.ipv4Only` ipv4-any. */
  roles: AgentRole[];
  /** What must happen, for the report. */
  expected(mode: NetworkMode): string;
  check: EngineCheck;
}
