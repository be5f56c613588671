/**
 * Benches live in harness/bench/<name>.bench.ts and default-export a Bench; `npm run bench`
 * finds them by that suffix, so adding one is adding a file.
 */
export type Bench = ThroughputBench | MetricsBench | ProcessBench;

/** Operations per second, timed by the runner: several runs, median, min and max. */
export interface ThroughputBench {
  name: string;
  /** What one operation is, for the report: "validations". */
  unit: string;
  /** Prepares data outside the timed part; returns one batch, which reports how many ops it did. */
  setup(): (() => number) | Promise<() => number>;
}

/** Measures itself (e.g. Docker latencies) and returns named figures, units in the names. */
export interface MetricsBench {
  name: string;
  run(): Promise<Record<string, number>>;
}

/**
 * Whole processes, each figure beside its floor (what the same work costs done by hand, or the
 * baseline it is judged against), measured alternately in the same run so noise cancels.
 */
export interface ProcessBench {
  name: string;
  measure(ctx: ProcessContext): Promise<ProcessReport>;
}

export interface ProcessContext {
  /** Repetitions of each process; figures are medians of these. @default 5 */
  n: number;
  /** Progress, one line at a time (silent under --json). */
  log(line: string): void;
}

export interface Figure {
  figure: string;
  unit: 'ms' | 'MB';
  samples: number[];
  median: number;
  floor?: { what: string; samples: number[]; median: number };
  /** median / floor median. */
  ratio?: number;
  /** The goal, as text: `≤ 2 × floor`, `≤ 500 ms`. */
  goal?: string;
  met?: boolean;
  /** Set instead of samples when the figure cannot be measured yet, with why. */
  skipped?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface ProcessReport {
  figures: Figure[];
  tables?: Table[];
}
