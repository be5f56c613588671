// What every reporter is given: one run's results with the facts around them. A reporter turns
// it into text; where that text goes (a file, stdout) is the caller's business, so `sixgate run`,
// `sixgate certify` and `sixgate merge` share every format.
import type { CellResult } from '../matrix/result.ts';
import type { NetworkMode } from '../providers/contract.ts';

/** What a run set out to cover: a filtered or sharded run must never pass for a whole one. */
export interface RunSelection {
  modes: NetworkMode[];
  /** The `--cell` patterns as typed; empty = every cell and the corpus. */
  cells: string[];
  /** `--shard I/N` (1-based index). */
  shard?: { index: number; count: number };
  /**
   * Set only by `sixgate merge` when it merged some but not all shards of one run: the 1-based
   * indices it holds, of `count` (all N merged drop both this and `shard`: a whole run again).
   */
  shards?: { indices: number[]; count: number };
  corpus: boolean;
}

/** certify's judgement, with every reason it was refused. */
export interface Verdict {
  certified: boolean;
  reasons: string[];
}

export interface RunReport {
  /** Sorted by mode, then by table order (matrix cells, engine cells, corpus). */
  results: CellResult[];
  /**
   * Run-wide facts: `run.sixgate`, `run.node`, `run.target`, `run.provider`, and per mode
   * `<mode>.provider`, `<mode>.docker`, ... (strings; reporters print them as given).
   */
  properties: Record<string, string>;
  startedAt: Date;
  endedAt: Date;
  selection: RunSelection;
  verdict?: Verdict;
}

/** One output format. `render` is pure: the same report gives the same text. */
export interface Reporter {
  name: string;
  /** Where `--reporter NAME` writes when no `=FILE` is given; undefined means stdout. */
  defaultFile?: string;
  render(report: RunReport): string;
}
