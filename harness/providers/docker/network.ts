// The run's network, made with dockerode: testcontainers' Network cannot enable IPv6.
import type Docker from 'dockerode';
import { NETWORK_MODES, type AgentSpec, type EngineSpec, type NetworkMode } from '../contract.ts';
import { planTopology, runLabels, type TopologyPlan } from '../../topology/index.ts';
import { SixgateError } from '../../errors/index.ts';
import { DOCKER_FLAVOUR, type EngineFlavour } from './flavour.ts';

// Podman says `already used on the host` for a prefix another engine's bridge holds.
const OVERLAP = /overlap|already in use|already used|conflicts with/i;
const ATTEMPTS = 5;

async function subnetsInUse(docker: Docker): Promise<string[]> {
  const nets = await docker.listNetworks();
  return nets
    .flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ''))
    .filter((s) => s !== '');
}

/**
 * Plans the run and creates its network. A prefix Docker reports as overlapping (another run
 * drew the same one) is replanned with fresh random prefixes.
 */
export async function createPlannedNetwork(
  docker: Docker,
  opts: {
    runId: string;
    mode: NetworkMode;
    agents: AgentSpec[];
    engine?: EngineSpec;
    controlEngine?: EngineSpec;
    /** @default true */
    peer?: boolean;
    native: boolean;
    /** @default DOCKER_FLAVOUR */
    flavour?: EngineFlavour;
    /** @default runLabels(runId) */
    labels?: Record<string, string>;
    /** Called with the network's name before each create request: register its removal. */
    beforeCreate?(name: string): void;
  },
): Promise<{ plan: TopologyPlan; networkId: string }> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const plan = planTopology({ ...opts, ipv4InUse: await subnetsInUse(docker) });
    const { network } = plan;
    const ipam = [{ Subnet: network.subnet6, Gateway: network.gateway6 }];
    if (network.subnet4) ipam.push({ Subnet: network.subnet4, Gateway: network.gateway4! });
    opts.beforeCreate?.(network.name);
    try {
      const request: Docker.NetworkCreateOptions = {
        Name: network.name,
        Driver: 'bridge',
        EnableIPv6: true,
        IPAM: { Driver: 'default', Config: ipam },
        Labels: { ...(opts.labels ?? runLabels(opts.runId)), 'sixgate.mode': opts.mode },
        CheckDuplicate: true,
      };
      const flavour = opts.flavour ?? DOCKER_FLAVOUR;
      const ipv6Only = !NETWORK_MODES[opts.mode].ipv4 && opts.native;
      const created = await docker.createNetwork(flavour.networkRequest(request, ipv6Only));
      return { plan, networkId: created.id };
    } catch (err) {
      lastErr = err;
      if (!OVERLAP.test((err as Error).message)) break;
    }
  }
  throw new SixgateError(
    'SIXGATE_NETWORK_CREATE',
    `could not create an IPv6 network for run ${opts.runId}`,
    {
      cause: lastErr,
      hint: 'check that dockerd allows IPv6 networks (`sixgate doctor`)',
      exitCode: 3,
    },
  );
}
