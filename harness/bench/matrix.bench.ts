// The connection matrix's cost: a whole `sixgate run` (both modes side by side, topology start,
// every cell, teardown) as a median of a few runs, and the per-cell cost on a started topology.
import type { MetricsBench } from './bench.ts';
import { median, timed } from './measure.ts';
import { agentSpecsFor, CELLS, REFERENCE_TARGET, rolesOf, runMatrix } from '../matrix/index.ts';
import { startTopology } from '../providers/index.ts';
import type { NetworkMode } from '../providers/contract.ts';

const RUNS = 3;
const PASSES = 5;
const agents = agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS));

async function wholeRun(): Promise<void> {
  await Promise.all(
    (['dual-stack', 'ipv6-only'] as NetworkMode[]).map(async (mode) => {
      const t = await startTopology({ mode, provider: 'docker', agents });
      try {
        const results = await runMatrix(t);
        const bad = results.filter((r) => r.status !== 'passed');
        if (bad.length) throw new Error(`bench run not clean: ${bad.map((r) => r.id).join(', ')}`);
      } finally {
        await t.down();
      }
    }),
  );
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
      'run.both-modes.wall.ms': median(whole),
      'matrix.pass.dual-stack.ms': median(pass),
      'cell.median.serial.ms': median(serialCell),
    };
  },
};

export default bench;
