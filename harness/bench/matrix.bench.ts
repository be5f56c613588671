// The main job's cost: a whole `sixgate run` (both modes side by side, topology start, every
// matrix and engine cell, the corpus through the engine, teardown) as a median of a few runs,
// and the per-cell cost of the matrix on a started topology.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MetricsBench } from './bench.ts';
import { main } from '../cli.ts';
import { median, timed } from './measure.ts';
import { agentSpecsFor, CELLS, REFERENCE_TARGET, rolesOf, runMatrix } from '../matrix/index.ts';
import { startTopology } from '../providers/index.ts';

const RUNS = 3;
const PASSES = 5;
const agents = agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS));

/** The main job exactly as a user runs it: `sixgate run`, both modes, engine and corpus. */
async function wholeRun(): Promise<void> {
  const junit = join(mkdtempSync(join(tmpdir(), 'sixgate-bench-')), 'junit.xml');
  let out = '';
  const code = await main(['run', '--provider', 'docker', '--junit', junit], {
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    stdin: process.stdin,
  });
  rmSync(dirname(junit), { recursive: true, force: true });
  if (code !== 0) throw new Error(`bench run not clean (exit ${code}):\n${out.slice(-2000)}`);
}

const bench: MetricsBench = {
  name: 'connection-matrix',
  async run() {
    const whole: number[] = [];
    for (let i = 0; i < RUNS; i++) whole.push((await timed(wholeRun))[0]);
    const t = await startTopology({ mode: 'dual-stack', provider: 'docker', agents });
    const pass: number[] = [];
    const serialCell: number[] = [];
    try {
      for (let i = 0; i < PASSES; i++) pass.push((await timed(() => runMatrix(t)))[0]);
      for (let i = 0; i < PASSES; i++) {
        const rs = await runMatrix(t, { concurrency: 1 });
        serialCell.push(median(rs.map((r) => r.durationMs)));
      }
    } finally {
      await t.down();
    }
    return {
      cells: CELLS.length,
      'sixgate-run.wall.ms': median(whole),
      'matrix.pass.dual-stack.ms': median(pass),
      'cell.median.serial.ms': median(serialCell),
    };
  },
};

export default bench;
