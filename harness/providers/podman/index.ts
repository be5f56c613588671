// Podman as a provider, through its Docker-compatible API (`podman system service`): the Docker
// provider's building blocks (dockerode, labels, sweeps, probes, the offline image build) with
// Podman's flavour. What differs from Docker 20.10, checked on Podman 4.3.1 with netavark:
// - IPv6-only is native: a network created with only an IPv6 subnet and `EnableIPv6` left off
//   has no IPv4 at all (no IPv4 address, route or A record in it). `EnableIPv6: true` with that
//   same subnet makes Podman add an IPv4 subnet of its own (dual stack).
// - Its compat inspect has no `EnableIPv4`; the network's subnets say it (docker/ipv6-only.ts).
// - A rootful container gets `nofile` and `nproc` limits of 1048576 and more unless told
//   otherwise; where root lacks CAP_SYS_RESOURCE (a sandbox, a nested container) runc and crun
//   then fail with "setrlimit … operation not permitted". Docker passes no limits (its
//   containers inherit the daemon's), so Podman is given modest ones any host allows.
// - Names resolve through aardvark-dns on the network's gateway, not 127.0.0.11 in the container.
// - Beside Docker, which loads br_netfilter, frames between two containers on one Podman bridge
//   go through the host's ip6tables FORWARD chain (policy DROP); netavark accepts only its
//   subnets' sources, so link-local traffic (and its neighbour discovery) is dropped. The run
//   checks it once and, when it is so, lists link-local as unavailable with the remedy.
import { getuid } from 'node:process';
import type { Provider, ProviderRun, ProviderStartRequest, RuntimeSocket } from '../contract.ts';
import type { EngineFlavour } from '../docker/flavour.ts';
import { startDocker } from '../docker/index.ts';
import { dockerProvider } from '../docker/provider.ts';

/** Far above what an agent, engine or probe uses, and below any host's hard limits. */
const ULIMITS = [
  { Name: 'nofile', Soft: 4096, Hard: 4096 },
  { Name: 'nproc', Soft: 8192, Hard: 8192 },
];

export const PODMAN_FLAVOUR: EngineFlavour = {
  provider: 'podman',
  cli: 'podman',
  nativeIpv6Only: () => true,
  networkRequest: (request, ipv6Only) => (ipv6Only ? { ...request, EnableIPv6: false } : request),
  hostConfig: { Ulimits: ULIMITS },
};

export const ROOTFUL_PODMAN_SOCKET = '/run/podman/podman.sock';

/** Where `podman system service` listens by default: rootful, and the user's own (rootless). */
export function podmanSockets(env: NodeJS.ProcessEnv, uid = getuid?.() ?? 0): RuntimeSocket[] {
  const runtimeDir = env.XDG_RUNTIME_DIR || `/run/user/${uid}`;
  const rootless = {
    path: `${runtimeDir}/podman/podman.sock`,
    strategy: `Podman rootless socket in ${env.XDG_RUNTIME_DIR ? '$XDG_RUNTIME_DIR' : runtimeDir}`,
  };
  const rootful = { path: ROOTFUL_PODMAN_SOCKET, strategy: 'Podman rootful socket' };
  // Root's own service first for root; everyone else's first for everyone else.
  return uid === 0 ? [rootful, rootless] : [rootless, rootful];
}

const LINK_LOCAL_REMEDY =
  "the host's ip6tables FORWARD chain drops link-local frames between containers on a Podman bridge (br_netfilter, loaded by Docker): ip6tables -A FORWARD -i podman+ -o podman+ -j ACCEPT (scripts/ensure-podman.sh adds it)";

/**
 * From the peer (or the engine in its place) to an agent's link-local address: it answers,
 * unless the host drops it. Without either, no cell crosses the bridge by link-local.
 */
async function linkLocalForwarded(run: ProviderRun): Promise<boolean> {
  const peer = run.hosts.get('peer') ?? run.hosts.get('engine');
  const agent = [...run.hosts.values()].find((h) => h.role === 'agent' && h.primary.linkLocal);
  if (!peer || !agent) return true;
  const r = await peer.probe.request({
    op: 'tcp-connect',
    host: `${agent.primary.linkLocal}%${peer.primary.iface}`,
    port: 1,
    timeoutMs: 3000,
  });
  // Refused is an answer from the agent's kernel: the path is there.
  return r.ok || r.code === 'ECONNREFUSED';
}

export async function startPodman(
  request: ProviderStartRequest,
): Promise<ProviderRun & { release(): void }> {
  const run = await startDocker({ ...request, flavour: PODMAN_FLAVOUR });
  // Only a run that waited for DAD has link-local addresses ready to answer.
  if (request.dad !== false && !(await request.teardown.race(linkLocalForwarded(run)))) {
    run.unavailable = [
      ...(run.unavailable ?? []),
      { what: 'link-local', remedy: LINK_LOCAL_REMEDY },
    ];
  }
  return run;
}

export const podmanProvider: Provider = {
  id: 'podman',
  title: 'Podman',
  cli: 'podman',
  // The same API, so the same offer: what differs is in the flavour, not in what a run gets.
  capabilities: dockerProvider.capabilities,
  runtime: {
    answers: (v) => v.Components?.some((c) => /podman/i.test(c.Name)) ?? false,
    sockets: async (env) => podmanSockets(env),
    // A later attach to a Podman 4.3 container's probe gets no reply (seen: none in 10 s, where
    // Docker answers in milliseconds): each process runs a probe of its own there.
    probes: 'exec',
  },
  start: startPodman,
};
