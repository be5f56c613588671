// The main job as CI runs it (`sixgate run`, both modes side by side) beside the slowest single
// mode, alternated: running both modes should cost little more than the slower one alone. Beside
// them, the floor under both: the main job's topology made and removed by hand
// (topology-floor.ts), for one mode and for two side by side — what the daemon itself costs,
// and how much two modes at once can save on it. The same processes give the harness's memory.
import { ensureImage } from '../images/build.ts';
import { dockerClient } from '../providers/docker/client.ts';
import type { ProcessBench } from './bench.ts';
import { alternate, bundleScript, figure, sixgateRun, timeNode } from './process.ts';
import { median } from './measure.ts';

const WHOLE_GOAL_MS = 6000;
const RSS_GOAL_MB = 150;
const DOCKER = ['--provider', 'docker'];

const bench: ProcessBench = {
  name: 'main-job',
  async measure(ctx) {
    const image = (await ensureImage(dockerClient())).tag;
    const floor = await bundleScript('topology-floor');
    const byHand = (networks: string) => () =>
      timeNode([floor, '--networks', networks, '--image', image], `topology floor ×${networks}`);
    ctx.log('main-job: both modes, dual-stack alone, ipv6-only alone, alternately');
    const [both, dual, v6, hand2, hand1] = await alternate(
      ctx.n,
      [
        { what: 'sixgate run (both modes)', run: () => sixgateRun(DOCKER) },
        {
          what: 'sixgate run --mode dual-stack',
          run: () => sixgateRun([...DOCKER, '--mode', 'dual-stack']),
        },
        {
          what: 'sixgate run --mode ipv6-only',
          run: () => sixgateRun([...DOCKER, '--mode', 'ipv6-only']),
        },
        { what: 'topology by hand, two modes side by side', run: byHand('2') },
        { what: 'topology by hand, one mode', run: byHand('1') },
      ],
      ctx.log,
    );
    const slowest = median(dual!.map((s) => s.ms)) >= median(v6!.map((s) => s.ms)) ? dual! : v6!;
    const slowestName = slowest === dual ? 'dual-stack' : 'ipv6-only';
    return {
      figures: [
        figure({
          figure: 'main job, both modes',
          unit: 'ms',
          samples: both!.map((s) => s.ms),
          floor: {
            what: `slowest single mode (${slowestName})`,
            samples: slowest.map((s) => s.ms),
          },
          goal: {
            text: `≤ 1.3 × floor and ≤ ${WHOLE_GOAL_MS} ms`,
            met: (f) => f.ratio! <= 1.3 && f.median <= WHOLE_GOAL_MS,
          },
        }),
        figure({
          figure: 'main job, both modes, against its topology by hand',
          unit: 'ms',
          samples: both!.map((s) => s.ms),
          floor: { what: 'topology-floor.ts --networks 2', samples: hand2!.map((s) => s.ms) },
        }),
        figure({
          figure: 'topology by hand: two modes side by side',
          unit: 'ms',
          samples: hand2!.map((s) => s.ms),
          floor: { what: 'topology-floor.ts, one mode', samples: hand1!.map((s) => s.ms) },
        }),
        figure({
          figure: 'harness peak RSS, main job',
          unit: 'MB',
          samples: both!.map((s) => s.rssMb),
          goal: { text: `≤ ${RSS_GOAL_MB} MB`, met: (f) => f.median <= RSS_GOAL_MB },
        }),
      ],
    };
  },
};

export default bench;
