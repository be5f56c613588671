// The docker provider: network, hosts, probes, DAD, and the IPv6-only method, for one run.
import { ensureImage } from '../../images/index.ts';
import { ENGINE_KEY } from '../../topology/index.ts';
import type {
  AgentSpec,
  EngineSpec,
  NetworkMode,
  StartedHost,
  StartedTopology,
} from '../contract.ts';
import { pickPrimary } from '../pick-primary.ts';
import { runTls } from '../run-tls.ts';
import type { Teardown } from '../teardown.ts';
import { sweepDeadRuns, removeNetwork } from './cleanup.ts';
import { dockerClient, dockerFacts } from './client.ts';
import { clientCommand, containerLogs } from './containers.ts';
import { flushIpv4 } from './ipv6-only.ts';
import { createPlannedNetwork } from './network.ts';
import { startEngine } from './start-engine.ts';
import { aaaaOnlyName, startHost } from './start-host.ts';

export type ProviderRun = Omit<StartedTopology, 'describe' | 'down' | typeof Symbol.asyncDispose>;

const DAD_TIMEOUT_MS = 10_000;

export async function startDocker(opts: {
  runId: string;
  mode: NetworkMode;
  agents: AgentSpec[];
  engine?: EngineSpec;
  teardown: Teardown;
}): Promise<ProviderRun & { release(): void }> {
  const docker = dockerClient();
  const df = await dockerFacts(docker);
  const swept = await sweepDeadRuns(docker);
  const [image, tls] = await Promise.all([ensureImage(docker), runTls(opts.runId)]);
  const native = df.nativeIpv6Only;
  const { plan, networkId } = await createPlannedNetwork(docker, { ...opts, native });
  opts.teardown.add(`remove network ${plan.network.name}`, () => removeNetwork(docker, networkId));

  const ctx = { docker, plan, image: image.tag, tls, teardown: opts.teardown };
  const running = await Promise.all(
    plan.hosts.map((h) => (h.engine ? startEngine(ctx, h, h.engine) : startHost(ctx, h))),
  );
  await Promise.all(
    running.map((h) => h.probe.request({ op: 'wait-dad', timeoutMs: DAD_TIMEOUT_MS })),
  );

  let ipv6OnlyMethod: StartedTopology['ipv6OnlyMethod'];
  const facts: Record<string, string> = {
    'docker.engine': df.engine,
    'docker.api': df.apiVersion,
    kernel: df.kernel,
    image: image.tag,
    'image.built': String(image.built),
  };
  if (swept.length) facts['swept-runs'] = swept.join(',');
  let formerIpv4 = new Map<string, string>();
  if (opts.mode === 'ipv6-only') {
    ipv6OnlyMethod = native ? 'native' : 'flush-ipv4';
    if (!native) {
      ({ formerIpv4 } = await flushIpv4(running));
      facts['ipv6-only.flushed'] = [...formerIpv4].map(([k, v]) => `${k}=${v}`).join(',');
    }
  }

  const hosts = new Map<string, StartedHost>();
  for (const h of running) {
    const interfaces = await h.probe.request({ op: 'interfaces' });
    hosts.set(h.planned.key, {
      name: h.planned.containerName,
      role: h.planned.role,
      containerId: h.main.id,
      aliases: h.planned.aliases,
      interfaces,
      primary: pickPrimary(interfaces, 'eth0'),
      formerIpv4: formerIpv4.get(h.planned.key),
      ...(h.planned.spec ? { aaaaOnlyName: aaaaOnlyName(h.planned) } : {}),
      clientCommand: (argv) => clientCommand(h.probeName, argv),
      probe: h.probe,
      logs: (tail) => containerLogs(h.main, tail),
    });
  }
  const engineHost = hosts.get(ENGINE_KEY);
  const enginePlan = plan.hosts.find((h) => h.engine)?.engine;
  return {
    runId: opts.runId,
    provider: 'docker',
    mode: opts.mode,
    ipv6OnlyMethod,
    ...(engineHost && enginePlan
      ? {
          engine: {
            host: engineHost,
            port: enginePlan.port,
            ...(enginePlan.apiBase ? { apiBase: enginePlan.apiBase } : {}),
            ca: tls.ca.certPem,
            // Its certificate names its alias; a client dialling the ULA or link-local checks that.
            identity: engineHost.aliases[0]!,
          },
        }
      : {}),
    network: {
      name: plan.network.name,
      subnet6: plan.network.subnet6,
      subnet4: plan.network.subnet4,
    },
    hosts,
    tls: tls.client,
    facts,
    // A kept run's containers stay; only this process's attachments to the probes go.
    release: () => running.forEach((h) => h.probe.close()),
  };
}
