// What a `sixgate run` process left on the daemon: containers and networks whose owner label
// names its pid on this host (`pid@host`, then `#start` where the start time is known).
import { hostname } from 'node:os';
import { dockerClient } from '../../harness/index.ts';

export async function createdBy(pid: number): Promise<string[]> {
  const docker = dockerClient();
  const filters = { label: ['sixgate.owner'] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  const mine = (labels: Record<string, string> | undefined) =>
    /^(\d+)@([^#]+)/
      .exec(labels?.['sixgate.owner'] ?? '')
      ?.slice(1, 3)
      .join('@') === `${pid}@${hostname()}`;
  return [
    ...containers.filter((c) => mine(c.Labels)).map((c) => `container ${c.Names[0]}`),
    ...networks.filter((n) => mine(n.Labels)).map((n) => `network ${n.Name}`),
  ];
}
