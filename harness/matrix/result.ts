import type { CallOutcome } from '../rpc/contract.ts';
import type { NetworkMode } from '../providers/contract.ts';

/**
 * passed / failed (the target broke a requirement) / error (the harness itself broke: a probe
 * died, a topology fact was missing) / skipped (with the reason). Reports keep them apart.
 */
export type CellStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface CellResult {
  id: string;
  title: string;
  source: string;
  target: string;
  mode: NetworkMode;
  status: CellStatus;
  /** Why it failed, errored or was skipped. */
  message?: string;
  /** The host spec typed, and the identity the certificate was checked against. */
  spec?: string;
  identity?: string;
  expected: string;
  observed?: string;
  outcome?: CallOutcome;
  durationMs: number;
  /** Everything a person needs to see why: logs, listeners, addresses, routes, resolution. */
  diagnostics?: string;
  /** Commands that reproduce the cell: a sixgate re-run, and one to type by hand. */
  repro: string[];
  properties: Record<string, string>;
  /** Results reported together when they pass (the corpus: hundreds of cases, one line). */
  group?: string;
}
