/**
 * One named benchmark. Benches live in harness/bench/<name>.bench.ts and default-export a Bench;
 * `npm run bench` finds them by that suffix, so adding one is adding a file.
 */
export interface Bench {
  name: string;
  /** What one operation is, for the report: "validations". */
  unit: string;
  /** Prepares data outside the timed part; returns one batch, which reports how many ops it did. */
  setup(): (() => number) | Promise<() => number>;
}
