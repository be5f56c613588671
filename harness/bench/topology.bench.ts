// Docker topology costs, as medians over a few rounds: image build cold and cached, network
// create, a peer-only topology start (container, probe sidecar, DAD), one agent host start, and
// one probe round trip. Needs a Docker daemon; it removes everything it creates.
import type { MetricsBench } from './bench.ts';
import { median, timed } from './measure.ts';
import { ensureImage } from '../images/index.ts';
import { startTopology } from '../providers/index.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { removeNetwork } from '../providers/docker/cleanup.ts';
import { createPlannedNetwork } from '../providers/docker/network.ts';
import { newRunId } from '../topology/index.ts';

const ROUNDS = 3;
const AGENT = { key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true };

const bench: MetricsBench = {
  name: 'docker-topology',
  async run() {
    const docker = dockerClient();
    const cold: number[] = [];
    const cached: number[] = [];
    const network: number[] = [];
    const peerOnly: number[] = [];
    const withAgent: number[] = [];
    const rtt: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const { tag } = await ensureImage(docker);
      // Cold means no image with this content: remove it (nothing else may be using it).
      await docker.getImage(tag).remove();
      const [coldMs, built] = await timed(() => ensureImage(docker));
      if (built.built) cold.push(coldMs);
      cached.push((await timed(() => ensureImage(docker)))[0]);
      const [netMs, made] = await timed(() =>
        createPlannedNetwork(docker, {
          runId: newRunId(),
          mode: 'dual-stack',
          agents: [],
          native: false,
        }),
      );
      network.push(netMs);
      await removeNetwork(docker, made.networkId);
      const [peerMs, t] = await timed(() =>
        startTopology({ mode: 'dual-stack', provider: 'docker', agents: [] }),
      );
      peerOnly.push(peerMs);
      const peer = t.hosts.get('peer')!;
      for (let j = 0; j < 50; j++)
        rtt.push((await timed(() => peer.probe.request({ op: 'listeners' })))[0]);
      await t.down();
      const [agentMs, a] = await timed(() =>
        startTopology({ mode: 'dual-stack', provider: 'docker', agents: [AGENT] }),
      );
      withAgent.push(agentMs);
      await a.down();
    }
    return {
      'image.build.cold.ms': median(cold),
      'image.cached.ms': median(cached),
      'network.create.ms': median(network),
      'topology.peer-only.start.ms': median(peerOnly),
      'topology.one-agent.start.ms': median(withAgent),
      'probe.round-trip.ms': median(rtt),
    };
  },
};

export default bench;
