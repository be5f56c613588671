// The docker provider: network, hosts, probes, DAD, and the IPv6-only method, for one run.
// Everything is registered with the run's teardown before it is created; a target host that
// does not come up is recorded as the target's failure, and the rest of the run goes on.
import { ensureImage, imageExists } from '../../images/index.ts';
import { CONTROL_ENGINE_KEY, ENGINE_KEY, LABEL_IMAGE, runLabels } from '../../topology/index.ts';
import {
  NETWORK_MODES,
  type ProviderRun,
  type ProviderStartRequest,
  type StartedHost,
  type StartedTopology,
} from '../contract.ts';
import { pickPrimary } from '../pick-primary.ts';
import { runTls } from '../run-tls.ts';
import { managementIpOf } from '../vdsm-conf.ts';
import { tracePhase } from '../../lifecycle/index.ts';
import { LABEL_TARGET, runRecord, writeRunRecord } from './attach.ts';
import { removeNetwork, removeRunById } from './cleanup.ts';
import { clientFor, dockerFacts, parseDockerHost } from './client.ts';
import { clientCommand, containerLogs } from './containers.ts';
import { makeIpv6Only } from './ipv6-only.ts';
import { saveRecordCopy } from './record-cache.ts';
import { DOCKER_FLAVOUR, type EngineFlavour } from './flavour.ts';
import { createPlannedNetwork } from './network.ts';
import { startEngine } from './start-engine.ts';
import { aaaaOnlyName, HostStartError, startHost, type RunningHost } from './start-host.ts';

export type { ProviderRun } from '../contract.ts';

const DAD_TIMEOUT_MS = 10_000;

export async function startDocker(
  opts: ProviderStartRequest & {
    /** Which Docker-compatible engine this is (Podman's compat API). @default DOCKER_FLAVOUR */
    flavour?: EngineFlavour;
  },
): Promise<ProviderRun & { release(): void }> {
  const flavour = opts.flavour ?? DOCKER_FLAVOUR;
  const endpoint = opts.endpoint ?? parseDockerHost(process.env.DOCKER_HOST);
  const docker = clientFor(endpoint);
  const { teardown } = opts;
  const df = await teardown.race(dockerFacts(docker));
  tracePhase('image-check', opts.mode);
  const [image, tls] = await teardown.race(Promise.all([ensureImage(docker), runTls(opts.runId)]));
  const labels = {
    ...runLabels(opts.runId, { keptAt: opts.keptAt }),
    [LABEL_IMAGE]: image.tag,
    ...(opts.startedFor ? { [LABEL_TARGET]: opts.startedFor.target } : {}),
  };
  // Whatever a half-finished start left under this run id goes too, after the named steps.
  teardown.add(
    `remove what is labelled run ${opts.runId}`,
    () => removeRunById(docker, opts.runId),
    'file',
  );
  const native = flavour.nativeIpv6Only(df);
  const registered = new Set<string>();
  tracePhase('network-create', opts.mode);
  const { plan } = await teardown.race(
    teardown.track(
      createPlannedNetwork(docker, {
        ...opts,
        // A kept run's record lives in its peer.
        peer: opts.peer !== false || opts.keptAt !== undefined,
        native,
        flavour,
        labels,
        beforeCreate: (name) => {
          if (registered.has(name)) return;
          registered.add(name);
          teardown.add(`remove network ${name}`, () => removeNetwork(docker, name), 'network');
        },
      }),
    ),
  );
  // A concurrent build elsewhere prunes only images no run names; ours is named by the network
  // now, so if it vanished in between, build it again.
  const tag = (await imageExists(docker, image.tag)) ? image.tag : (await ensureImage(docker)).tag;

  const ctx = { docker, plan, image: tag, tls, teardown, labels, hostConfig: flavour.hostConfig };
  tracePhase('container-create', opts.mode);
  const settled = await Promise.allSettled(
    plan.hosts.map((h) => (h.engine ? startEngine(ctx, h, h.engine) : startHost(ctx, h))),
  );
  teardown.check();
  const running: RunningHost[] = [];
  const failed = new Map<string, string>();
  for (const s of settled) {
    if (s.status === 'fulfilled') running.push(s.value);
    else if (s.reason instanceof HostStartError) {
      const e = s.reason;
      failed.set(e.host.key, e.hint ? `${e.message}\n${e.hint}` : e.message);
    } else throw s.reason;
  }
  const dad = opts.dad ?? true;
  if (dad) {
    tracePhase('dad-wait', opts.mode);
    await teardown.race(
      Promise.all(
        running.map((h) => h.probe.request({ op: 'wait-dad', timeoutMs: DAD_TIMEOUT_MS })),
      ),
    );
  }

  let ipv6OnlyMethod: StartedTopology['ipv6OnlyMethod'];
  const facts: Record<string, string> = {
    'docker.engine': df.engine,
    'docker.api': df.apiVersion,
    kernel: df.kernel,
    image: tag,
    'image.built': String(image.built),
    dad: dad ? 'awaited' : 'not awaited (no selected cell uses a link-local or tentative address)',
  };
  const slow = running.filter((h) => h.slowStart).map((h) => h.planned.key);
  if (slow.length) facts['slow-start'] = `${slow.join(',')} (listened only after the first wait)`;
  let formerIpv4 = new Map<string, string>();
  if (!NETWORK_MODES[opts.mode].ipv4) {
    const made = await teardown.race(makeIpv6Only(docker, plan.network.name, running));
    ({ method: ipv6OnlyMethod, formerIpv4 } = made);
    Object.assign(facts, made.facts);
  }

  const hosts = new Map<string, StartedHost>();
  for (const h of running) {
    const interfaces = await teardown.race(h.probe.request({ op: 'interfaces' }));
    hosts.set(h.planned.key, {
      name: h.planned.containerName,
      role: h.planned.role,
      containerId: h.main.id,
      aliases: h.planned.aliases,
      interfaces,
      primary: pickPrimary(interfaces, 'eth0', h.planned.ula),
      formerIpv4: formerIpv4.get(h.planned.key),
      ...(h.planned.spec
        ? {
            aaaaOnlyName: aaaaOnlyName(h.planned),
            managementIp: managementIpOf(h.planned.spec, h.planned),
          }
        : {}),
      clientCommand: (argv) => clientCommand(h.probeName, argv, flavour.cli),
      probe: h.probe,
      logs: (tail) => containerLogs(h.main, tail),
    });
  }
  const engineAt = (key: string): StartedTopology['engine'] => {
    const host = hosts.get(key);
    const planned = plan.hosts.find((h) => h.key === key)?.engine;
    if (!host || !planned) return undefined;
    return {
      host,
      port: planned.port,
      ...(planned.apiBase ? { apiBase: planned.apiBase } : {}),
      ca: tls.ca.certPem,
      // Its certificate names its alias; a client dialling the ULA or link-local checks that.
      identity: host.aliases[0]!,
    };
  };
  const engine = engineAt(ENGINE_KEY);
  const controlEngine = engineAt(CONTROL_ENGINE_KEY);
  // An address that was never tentative tests nothing about one that is: say so, do not pass.
  const noDad = running.filter((h) => h.tentativeWhenAdded === false).map((h) => h.planned.key);
  const unavailable = [
    ...(noDad.length
      ? [
          {
            what: 'dad',
            remedy: `duplicate address detection does not run on eth0 of ${noDad.join(', ')}, so an added address is never tentative; enable it for the runtime's containers (net.ipv6.conf.default.accept_dad=1, dad_transmits=1)`,
          },
        ]
      : []),
    ...running.flatMap((h) =>
      h.addressProblem
        ? [
            {
              what: `agent:${h.planned.key}`,
              remedy: `sixgate could not give it its tentative address (${h.addressProblem}): a problem of this machine or of sixgate, not of the agent; run again`,
            },
          ]
        : [],
    ),
  ];
  const run: ProviderRun & { release(): void } = {
    runId: opts.runId,
    provider: flavour.provider,
    endpoint,
    mode: opts.mode,
    ipv6OnlyMethod,
    ...(engine ? { engine } : {}),
    ...(controlEngine ? { controlEngine } : {}),
    network: {
      name: plan.network.name,
      subnet6: plan.network.subnet6,
      subnet4: plan.network.subnet4,
    },
    hosts,
    ...(failed.size ? { failed } : {}),
    ...(unavailable.length ? { unavailable } : {}),
    tls: tls.client,
    facts,
    // A kept run's containers stay; only this process's attachments to the probes go.
    release: () => running.forEach((h) => h.probe.close()),
  };
  // What `sixgate run --on` reattaches to; a run that is not kept is never attached to.
  if (opts.keptAt) {
    const peer = running.find((h) => h.planned.role === 'peer')!;
    const probeNames = new Map(running.map((h) => [h.planned.key, h.probeName]));
    const record = runRecord(run, probeNames, { startedFor: opts.startedFor, dadAwaited: dad });
    await teardown.race(writeRunRecord(docker, peer.probeName, tag, record));
    await saveRecordCopy(record, peer.main.id);
  }
  return run;
}
