// How a run grows: with cells (the matrix repeated to 30, 60, 120 cells on one topology) and
// with agents per topology (1, 4, 16, each given the six documented cells). Time should grow
// with hosts, not with cells × hosts: the ms per cell stays flat as hosts are added. Each point
// is a fresh process (scale.ts), so its peak RSS is that topology's; the slope from 1 to 16
// agents is the memory each added agent host costs.
import type { ProcessBench, Table } from './bench.ts';
import { median } from './measure.ts';
import { alternate, figure, timeNode, type Sample } from './process.ts';
import type { ScaleResult } from './scale.ts';

const CELL_COUNTS = [30, 60, 120];
const AGENT_COUNTS = [1, 4, 16];
const PER_HOST_GOAL_MB = 50;

interface Point extends ScaleResult {
  processMs: number;
  rssMb: number;
}

const point = (s: Sample): Point => ({
  ...(JSON.parse(s.stdout.trim().split('\n').pop()!) as ScaleResult),
  processMs: s.ms,
  rssMb: s.rssMb,
});

const med = (ps: Point[], k: keyof Omit<Point, 'statuses'>) => median(ps.map((p) => p[k]));

function table(title: string, by: 'cells' | 'agents', series: Point[][]): Table {
  return {
    title,
    columns: [
      by,
      'cells run',
      'process ms',
      'start ms',
      'cells ms',
      'ms/cell',
      'teardown ms',
      'peak MB',
    ],
    rows: series.map((ps) => [
      ps[0]![by],
      ps[0]!.cells,
      med(ps, 'processMs'),
      med(ps, 'startMs'),
      med(ps, 'cellsMs'),
      Math.round((med(ps, 'cellsMs') / ps[0]!.cells) * 10) / 10,
      med(ps, 'downMs'),
      med(ps, 'rssMb'),
    ]),
  };
}

const bench: ProcessBench = {
  name: 'scaling',
  async measure(ctx) {
    const worker = (flag: string, n: number) => ({
      what: `scale.ts ${flag} ${n}`,
      run: async () =>
        point(await timeNode(['--import', 'tsx', 'harness/bench/scale.ts', flag, String(n)])),
    });
    ctx.log('scaling: cells 30/60/120, then agents 1/4/16, alternately');
    const byCells = await alternate(
      ctx.n,
      CELL_COUNTS.map((n) => worker('--cells', n)),
      ctx.log,
    );
    const byAgents = await alternate(
      ctx.n,
      AGENT_COUNTS.map((n) => worker('--agents', n)),
      ctx.log,
    );
    const first = byAgents[0]!;
    const last = byAgents[byAgents.length - 1]!;
    const added = AGENT_COUNTS[AGENT_COUNTS.length - 1]! - AGENT_COUNTS[0]!;
    // Per round, so a busy round's memory is compared with its own baseline.
    const perHost = last.map((p, i) => Math.round(((p.rssMb - first[i]!.rssMb) / added) * 10) / 10);
    return {
      figures: [
        figure({
          figure: `run time, ${CELL_COUNTS.at(-1)} cells`,
          unit: 'ms',
          samples: byCells.at(-1)!.map((p) => p.processMs),
          floor: { what: `${CELL_COUNTS[0]} cells`, samples: byCells[0]!.map((p) => p.processMs) },
        }),
        figure({
          figure: `run time, ${AGENT_COUNTS.at(-1)} agents × 6 cells`,
          unit: 'ms',
          samples: last.map((p) => p.processMs),
          floor: {
            what: `${AGENT_COUNTS[0]} agent × 6 cells`,
            samples: first.map((p) => p.processMs),
          },
        }),
        figure({
          figure: 'harness peak RSS per added agent host',
          unit: 'MB',
          samples: perHost,
          goal: { text: `≤ ${PER_HOST_GOAL_MB} MB`, met: (f) => f.median <= PER_HOST_GOAL_MB },
        }),
      ],
      tables: [
        table('run time vs cells (one topology, matrix agents, dual-stack)', 'cells', byCells),
        table(
          'run time vs agents per topology (six documented cells each, dual-stack)',
          'agents',
          byAgents,
        ),
      ],
    };
  },
};

export default bench;
