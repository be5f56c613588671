// The per-cell cost of the matrix on a started topology, in process: a whole pass and one cell
// at a time. The whole `sixgate run` as a process is main-job.bench.ts.
import type { MetricsBench } from './bench.ts';
import { median, timed } from './measure.ts';
import { agentSpecsFor, CELLS, REFERENCE_TARGET, rolesOf, runMatrix } from '../matrix/index.ts';
import { startTopology } from '../providers/index.ts';

const PASSES = 5;
const agents = agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS));

const bench: MetricsBench = {
  name: 'connection-matrix',
  async run() {
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
      'matrix.pass.dual-stack.ms': median(pass),
      'cell.median.serial.ms': median(serialCell),
    };
  },
};

export default bench;
