// What starting the CLI costs beside starting node at all: `sixgate --version` (load and exit)
// and `sixgate matrix` (the cell tables too), alternated with a bare `node -e 0`.
import type { ProcessBench } from './bench.ts';
import { alternate, figure, timeNode } from './process.ts';

const bench: ProcessBench = {
  name: 'cli-start',
  async measure(ctx) {
    ctx.log('cli-start: node -e 0, sixgate --version, sixgate matrix, alternately');
    const [bare, version, matrix] = await alternate(
      ctx.n,
      [
        { what: 'node -e 0', run: () => timeNode(['-e', '0']) },
        { what: 'sixgate --version', run: () => timeNode(['bin/sixgate.mjs', '--version']) },
        { what: 'sixgate matrix', run: () => timeNode(['bin/sixgate.mjs', 'matrix']) },
      ],
      ctx.log,
    );
    const floor = { what: 'node -e 0', samples: bare!.map((s) => s.ms) };
    return {
      figures: [
        figure({
          figure: 'CLI start: sixgate --version',
          unit: 'ms',
          samples: version!.map((s) => s.ms),
          floor,
        }),
        figure({
          figure: 'CLI start: sixgate matrix',
          unit: 'ms',
          samples: matrix!.map((s) => s.ms),
          floor,
        }),
      ],
    };
  },
};

export default bench;
