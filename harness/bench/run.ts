import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench, ThroughputBench } from './bench.ts';

export interface BenchOptions {
  /** Timed runs per bench, after one untimed warm-up run. @default 7 */
  runs: number;
  /** Each run repeats the batch until at least this long has passed. @default 1000 */
  minMs: number;
  /** Only benches whose name contains this. */
  filter?: string;
  out: (line: string) => void;
}

export interface ThroughputResult {
  name: string;
  unit: string;
  /** Operations per second of each timed run. */
  rates: number[];
  median: number;
  min: number;
  max: number;
}

export interface MetricsResult {
  name: string;
  metrics: Record<string, number>;
}

export type BenchResult = ThroughputResult | MetricsResult;

async function discover(): Promise<Bench[]> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const modules = await Promise.all(files.map((f) => import(new URL(f, import.meta.url).href)));
  return modules.map((m: { default: Bench }) => m.default);
}

function timedRun(batch: () => number, minMs: number): number {
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    ops += batch();
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (ops * 1000) / elapsed;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function throughput(
  bench: ThroughputBench,
  options: BenchOptions,
): Promise<ThroughputResult> {
  const batch = await bench.setup();
  timedRun(batch, Math.min(options.minMs, 500));
  const rates: number[] = [];
  for (let i = 0; i < options.runs; i++) rates.push(timedRun(batch, options.minMs));
  const sorted = [...rates].sort((a, b) => a - b);
  const result: ThroughputResult = {
    name: bench.name,
    unit: bench.unit,
    rates,
    median: sorted[Math.floor(sorted.length / 2)]!,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
  options.out(
    `${result.name}: median ${fmt(result.median)} ${result.unit}/s (min ${fmt(result.min)}, max ${fmt(result.max)}; ${options.runs} runs of ≥${options.minMs} ms)`,
  );
  return result;
}

export async function runBenches(options: BenchOptions): Promise<BenchResult[]> {
  const benches = (await discover()).filter(
    (b) => !options.filter || b.name.includes(options.filter),
  );
  const results: BenchResult[] = [];
  for (const bench of benches) {
    if ('setup' in bench) {
      results.push(await throughput(bench, options));
      continue;
    }
    const metrics = await bench.run();
    for (const [key, value] of Object.entries(metrics))
      options.out(`${bench.name}: ${key} ${value}`);
    results.push({ name: bench.name, metrics });
  }
  return results;
}
