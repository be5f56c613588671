// Whole-process measurement for the process benches: a command's wall time from spawn to exit
// and its peak RSS, arms run alternately (floor, sixgate, floor, sixgate, …) so a busy moment
// lands on both, and the figures built from the medians.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SixgateError } from '../errors/index.ts';
import type { Figure } from './bench.ts';
import { median } from './measure.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RSS_HOOK = new URL('./rss-hook.mjs', import.meta.url).href;
/** Output kept from a measured process, for the error when it fails. */
const OUTPUT_TAIL = 4096;
/** No measured process may run longer than this. */
const PROCESS_TIMEOUT_MS = 10 * 60_000;

export class BenchError extends SixgateError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('SIXGATE_BENCH', message, options);
  }
}

export interface Sample {
  ms: number;
  /** Peak resident set of the node process, in MB. */
  rssMb: number;
  stdout: string;
}

/** Runs `node ARGS` from the checkout's root; a non-zero exit is a BenchError with its output. */
export function timeNode(args: string[], what = args.join(' ')): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'sixgate-bench-rss-'));
  const rssFile = join(dir, 'rss');
  return new Promise<Sample>((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, ...args], {
      cwd: ROOT,
      env: { ...process.env, SIXGATE_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROCESS_TIMEOUT_MS,
    });
    let stdout = '';
    let output = '';
    const keep = (b: Buffer, out: boolean) => {
      if (out) stdout = (stdout + b.toString()).slice(-65536);
      output = (output + b.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', (b: Buffer) => keep(b, true));
    child.stderr.on('data', (b: Buffer) => keep(b, false));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Math.round(performance.now() - start);
      if (code !== 0) {
        reject(
          new BenchError(`'node ${what}' ended ${signal ?? `with exit ${code}`}`, {
            hint: `its output ended:\n${output}`,
          }),
        );
        return;
      }
      let kb = Number.NaN;
      try {
        kb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // A process that exits by a signal handler's re-raise writes nothing: no memory figure.
      }
      resolve({ ms, rssMb: Math.round(kb / 102.4) / 10, stdout });
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** A fresh folder per process for the reports `sixgate run` writes; removed afterwards. */
export async function withReportDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sixgate-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `sixgate run ARGS` as a user runs it, its reports in a temporary folder. */
export const sixgateRun = (args: string[]): Promise<Sample> =>
  withReportDir((dir) =>
    timeNode(
      [
        'bin/sixgate.mjs',
        'run',
        ...args,
        '--junit',
        join(dir, 'junit.xml'),
        '--html',
        join(dir, 'matrix.html'),
      ],
      `sixgate run ${args.join(' ')}`,
    ),
  );

/**
 * One plain JavaScript file of a bench script, as a person's script would be: no TypeScript
 * compiled at start. Packages stay external, resolved from the checkout's node_modules.
 */
export async function bundleScript(name: string): Promise<string> {
  const outfile = join(ROOT, '.cache', 'bench', `${name}.mjs`);
  try {
    await build({
      entryPoints: [join(ROOT, 'harness', 'bench', `${name}.ts`)],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
  } catch (err) {
    throw new BenchError(`bundling harness/bench/${name}.ts failed`, { cause: err });
  }
  return outfile;
}

/** Runs the arms in turn, n rounds: arm 0, arm 1, …, arm 0, arm 1, …; samples per arm. */
export async function alternate<T>(
  n: number,
  arms: Array<{ what: string; run(): Promise<T> }>,
  log: (line: string) => void,
): Promise<T[][]> {
  const out: T[][] = arms.map(() => []);
  for (let i = 0; i < n; i++) {
    for (const [k, arm] of arms.entries()) {
      const sample = await arm.run();
      out[k]!.push(sample);
      log(
        `  ${i + 1}/${n} ${arm.what}: ${JSON.stringify(sample, (key, v) => (key === 'stdout' ? undefined : v))}`,
      );
    }
  }
  return out;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A figure from its samples, beside a floor when there is one; `goal` judges it. */
export function figure(o: {
  figure: string;
  unit: Figure['unit'];
  samples: number[];
  floor?: { what: string; samples: number[] };
  goal?: { text: string; met(f: { median: number; ratio?: number }): boolean };
}): Figure {
  const m = median(o.samples);
  const floor = o.floor && { ...o.floor, median: median(o.floor.samples) };
  const ratio = floor ? round(m / floor.median) : undefined;
  return {
    figure: o.figure,
    unit: o.unit,
    samples: o.samples,
    median: m,
    ...(floor ? { floor, ratio } : {}),
    ...(o.goal ? { goal: o.goal.text, met: o.goal.met({ median: m, ratio }) } : {}),
  };
}
