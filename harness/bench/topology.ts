// Docker topology costs, as medians: network create, cached image check, host start (container
// plus probe sidecar, DAD included), and one probe round trip. Cold image build time shows in
// `ensureImage().elapsedMs` when `built` is true (see suites/topology/images.test.ts).
import { ensureImage } from '../images/index.ts';
import { startTopology } from '../providers/index.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { removeNetwork } from '../providers/docker/cleanup.ts';
import { createPlannedNetwork } from '../providers/docker/network.ts';
import { newRunId } from '../topology/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

export const topologyBench = {
  name: 'docker-topology',
  async run(rounds = 3): Promise<Record<string, number>> {
    const docker = dockerClient();
    const image: number[] = [];
    const network: number[] = [];
    const topology: number[] = [];
    const rtt: number[] = [];
    for (let i = 0; i < rounds; i++) {
      image.push((await timed(() => ensureImage(docker)))[0]);
      const [ms, made] = await timed(() =>
        createPlannedNetwork(docker, {
          runId: newRunId(),
          mode: 'dual-stack',
          agents: [],
          native: false,
        }),
      );
      network.push(ms);
      await removeNetwork(docker, made.networkId);
      const [startMs, t] = await timed(() =>
        startTopology({ mode: 'dual-stack', provider: 'docker', agents: [] }),
      );
      topology.push(startMs);
      const peer = t.hosts.get('peer')!;
      for (let j = 0; j < 20; j++)
        rtt.push((await timed(() => peer.probe.request({ op: 'listeners' })))[0]);
      await t.down();
    }
    return {
      'image.cached.ms': median(image),
      'network.create.ms': median(network),
      'topology.peer-only.start.ms': median(topology),
      'probe.round-trip.ms': median(rtt),
    };
  },
};
