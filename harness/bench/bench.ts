/**
 * Benches live in harness/bench/<name>.bench.ts and default-export a Bench; `npm run bench`
 * finds them by that suffix, so adding one is adding a file.
 */
export type Bench = ThroughputBench | MetricsBench;

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
