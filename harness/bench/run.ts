// The bench runner: finds harness/bench/*.bench.ts, runs the ones the filter keeps, prints each
// result as it comes and, at the end, one table of every process figure beside its floor.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench, Figure, ProcessReport, Table, ThroughputBench } from './bench.ts';

export interface BenchOptions {
  /** Timed runs per bench, after one untimed warm-up run. @default 7 */
  runs: number;
  /** Each run repeats the batch until at least this long has passed. @default 1000 */
  minMs: number;
  /** Repetitions of each whole process in a process bench; figures are their medians. @default 5 */
  n: number;
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

export interface ProcessResult extends ProcessReport {
  name: string;
}

/** A process bench that could not finish: what failed, with the failing process's output. */
export interface FailedResult {
  name: string;
  error: string;
}

export type BenchResult = ThroughputResult | MetricsResult | ProcessResult | FailedResult;

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
  const figures: Figure[] = [];
  for (const bench of benches) {
    if ('setup' in bench) {
      results.push(await throughput(bench, options));
      continue;
    }
    if ('measure' in bench) {
      // One group failing (a sixgate run that did not pass) must not cost the others' figures.
      try {
        const report = await bench.measure({ n: options.n, log: options.out });
        for (const t of report.tables ?? []) options.out(formatTable(t));
        figures.push(...report.figures);
        results.push({ name: bench.name, ...report });
      } catch (err) {
        const e = err as { message?: string; hint?: string };
        const error = `${e.message ?? String(err)}${e.hint ? `\n${e.hint}` : ''}`;
        options.out(`${bench.name}: FAILED: ${error}`);
        results.push({ name: bench.name, error });
      }
      continue;
    }
    const metrics = await bench.run();
    for (const [key, value] of Object.entries(metrics))
      options.out(`${bench.name}: ${key} ${value}`);
    results.push({ name: bench.name, metrics });
  }
  if (figures.length) options.out(formatTable(figureTable(figures, options.n)));
  return results;
}

const show = (x: number | undefined, unit = '') =>
  x === undefined || Number.isNaN(x) ? '–' : `${Math.round(x * 10) / 10}${unit}`;

function figureTable(figures: Figure[], n: number): Table {
  return {
    title: `medians of ${n} whole processes, each arm alternated with its floor`,
    columns: ['figure', 'median', 'floor', 'floor median', 'ratio', 'goal', 'met'],
    rows: figures.map((f) => [
      f.figure,
      f.skipped ? `skipped: ${f.skipped}` : show(f.median, ` ${f.unit}`),
      f.floor?.what ?? '–',
      show(f.floor?.median, f.floor ? ` ${f.unit}` : ''),
      f.ratio === undefined ? '–' : `${show(f.ratio)} ×`,
      f.goal ?? '–',
      f.met === undefined ? '–' : f.met ? 'yes' : 'NO',
    ]),
  };
}

/** A plain-text table: a title, padded columns, numbers right-aligned. */
export function formatTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const width = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], raw: Array<string | number>) =>
    r
      .map((c, i) => (typeof raw[i] === 'number' ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `\n${t.title}`,
    line(t.columns, t.columns),
    width.map((w) => '-'.repeat(w)).join('  '),
    ...t.rows.map((r) => line(r.map(String), r)),
  ].join('\n');
}
