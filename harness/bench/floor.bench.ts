// Issue 11's floor comparisons, as whole processes: one cell cold and the six documented cells
// (one mode) by `sixgate run`, each alternated with the hand-done floor (floor.ts, bundled to
// plain JS as a person's script would be), and `run --on` against a kept topology once
// `sixgate up` exists.
import { spawnSync } from 'node:child_process';
import { ensureImage } from '../images/build.ts';
import { dockerClient } from '../providers/docker/client.ts';
import type { Figure, ProcessBench, ProcessContext } from './bench.ts';
import {
  alternate,
  BenchError,
  bundleScript,
  figure,
  ROOT,
  sixgateRun,
  timeNode,
  type Sample,
} from './process.ts';

export const SIX_CELLS = [
  'local.loopback.bracketed',
  'local.loopback.bracketed-port',
  'local.name.localhost6',
  'local.name.localhost6-port',
  'local.link-local.zone',
  'local.link-local.zone-port',
];
const ONE_CELL = SIX_CELLS[0]!;
const DOCKER_ONE_MODE = ['--mode', 'dual-stack', '--provider', 'docker'];
const ON_GOAL_MS = 500;

const ms = (xs: Sample[]) => xs.map((s) => s.ms);

/** Whether `sixgate up` exists yet (another change adds it). */
function hasUp(): boolean {
  const r = spawnSync(process.execPath, ['bin/sixgate.mjs', 'up', '--help'], {
    cwd: ROOT,
    stdio: 'ignore',
    timeout: 60_000,
  });
  return r.status === 0;
}

/** The run id in the `run --on RUN-ID` line `sixgate up` prints as the next command. */
function upRunId(stdout: string): string {
  const m = /\brun --on ([0-9a-z-]+)/.exec(stdout);
  if (!m) {
    throw new BenchError(`cannot find 'run --on RUN-ID' in 'sixgate up' output`, {
      hint: stdout.slice(-2000),
    });
  }
  return m[1]!;
}

async function runOn(ctx: ProcessContext): Promise<Figure> {
  const what = `run --on RUN-ID --cell ${ONE_CELL}`;
  if (!hasUp()) {
    return {
      figure: what,
      unit: 'ms',
      samples: [],
      median: Number.NaN,
      goal: `≤ ${ON_GOAL_MS} ms`,
      skipped: "'sixgate up' does not exist yet ('sixgate up --help' is not exit 0)",
    };
  }
  const up = await timeNode(
    ['bin/sixgate.mjs', 'up', '--mode', 'dual-stack', '--cell', ONE_CELL],
    'sixgate up',
  );
  const runId = upRunId(up.stdout);
  try {
    const [on] = await alternate(
      ctx.n,
      [{ what, run: () => sixgateRun(['--on', runId, '--cell', ONE_CELL]) }],
      ctx.log,
    );
    return figure({
      figure: what,
      unit: 'ms',
      samples: ms(on!),
      goal: { text: `≤ ${ON_GOAL_MS} ms`, met: (f) => f.median <= ON_GOAL_MS },
    });
  } finally {
    await timeNode(['bin/sixgate.mjs', 'down', runId], `sixgate down ${runId}`);
  }
}

const bench: ProcessBench = {
  name: 'floor',
  async measure(ctx) {
    const image = (await ensureImage(dockerClient())).tag;
    const floor = await bundleScript('floor');
    const floorRun = (kind: string) => () =>
      timeNode([floor, kind, '--image', image], `floor ${kind}`);
    ctx.log('floor: one cell cold, floor and sixgate alternately');
    const [f1, s1] = await alternate(
      ctx.n,
      [
        { what: 'floor one-cell', run: floorRun('one-cell') },
        {
          what: 'sixgate one cell',
          run: () => sixgateRun([...DOCKER_ONE_MODE, '--cell', ONE_CELL]),
        },
      ],
      ctx.log,
    );
    ctx.log('floor: the six documented cells, one mode');
    const [f6, s6] = await alternate(
      ctx.n,
      [
        { what: 'floor six-cells', run: floorRun('six-cells') },
        {
          what: 'sixgate six cells',
          run: () => sixgateRun([...DOCKER_ONE_MODE, ...SIX_CELLS.flatMap((c) => ['--cell', c])]),
        },
      ],
      ctx.log,
    );
    return {
      figures: [
        figure({
          figure: `one cell cold (${ONE_CELL}, dual-stack)`,
          unit: 'ms',
          samples: ms(s1!),
          floor: { what: 'floor.ts one-cell', samples: ms(f1!) },
          goal: { text: '≤ 2 × floor', met: (f) => f.ratio! <= 2 },
        }),
        figure({
          figure: 'six documented cells, one mode',
          unit: 'ms',
          samples: ms(s6!),
          floor: { what: 'floor.ts six-cells', samples: ms(f6!) },
          goal: { text: '≤ 1.3 × floor', met: (f) => f.ratio! <= 1.3 },
        }),
        await runOn(ctx),
      ],
    };
  },
};

export default bench;
