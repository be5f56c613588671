// What every route handler sees: the engine's parts (swappable by broken engines) and its state.
import type { EngineHost, NetworkAttachment, StorageConnection } from '../../engine-client/api.ts';
import type { TlsMaterial } from '../../rpc/contract.ts';
import type { AgentLink, AgentTarget } from './agent-link.ts';
import type { EngineRules } from './rules.ts';

/** The parts a broken engine may replace; everything else is shared with the reference. */
export interface EngineParts {
  rules: EngineRules;
  agentLink: AgentLink;
}

export interface HostRecord {
  host: EngineHost;
  target: AgentTarget;
}

export interface EngineContext extends EngineParts {
  /** CA and client certificate the engine presents to agents (mutual TLS). */
  agentTls: TlsMaterial;
  hosts: Map<string, HostRecord>;
  attachments: Map<string, NetworkAttachment>;
  storage: Map<string, StorageConnection>;
}

export interface Request {
  method: string;
  /** Path segments after `/api/`, e.g. `['hosts', '<id>', 'nics']`. */
  segments: string[];
  dryRun: boolean;
  /** Reads and parses the body; only handlers that take a body call it. */
  body(): Promise<Record<string, unknown>>;
}

export interface Response {
  status: number;
  body?: unknown;
}
