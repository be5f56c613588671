// The local provider: no Docker. Agents run as host processes, the probe runs in-process, and
// every case uses the host's own loopback and link-local addresses. What this host cannot
// offer is listed in `unavailable` with a remedy, so the matrix skips those cells with a reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalAgent } from '../../reference/agent/index.ts';
import { localProbe } from '../../probe/local.ts';
import { availablePrograms } from '../../images/index.ts';
import {
  NETWORK_MODES,
  type Provider,
  type ProviderRun,
  type ProviderStartRequest,
  type StartedHost,
} from '../contract.ts';
import { pickPrimary } from '../pick-primary.ts';
import { runTls } from '../run-tls.ts';

type Unavailable = NonNullable<ProviderRun['unavailable']>;

export const localProvider: Provider = {
  id: 'local',
  title: 'local processes',
  capabilities: {
    ipv6Only: [],
    linkLocal: true,
    names: false,
    namespaces: false,
    engine: false,
    imageBuild: false,
    keep: false,
  },
  start: (request) => startLocal(request),
};

async function startLocal(opts: ProviderStartRequest): Promise<ProviderRun & { release(): void }> {
  const ipv6Only = !NETWORK_MODES[opts.mode].ipv4;
  const probe = localProbe();
  const interfaces = await probe.request({ op: 'interfaces' });
  const primary = pickPrimary(interfaces);
  const unavailable: Unavailable = [];
  const lo6 = interfaces.some((i) => i.ipv6.some((a) => a.address === '::1'));
  if (!lo6)
    unavailable.push({
      what: 'ipv6',
      remedy: 'enable IPv6: sysctl -w net.ipv6.conf.all.disable_ipv6=0',
    });
  const l6 = await probe.request({ op: 'resolve', name: 'localhost6' }).catch(() => undefined);
  if (!l6?.addresses.some((a) => a.address === '::1')) {
    unavailable.push({
      what: 'localhost6',
      remedy: "add '::1 localhost6 localhost6.localdomain6' to /etc/hosts",
    });
  }
  if (!primary.linkLocal)
    unavailable.push({
      what: 'link-local',
      remedy: 'bring up an interface with an fe80:: address, or use the docker provider',
    });
  unavailable.push({
    what: 'own-namespace',
    remedy:
      "every agent shares this host's ports, so no port is free of the others; use --provider docker",
  });
  if (ipv6Only)
    unavailable.push({
      what: 'ipv6-only',
      remedy: 'the local provider cannot remove the host IPv4; use --provider docker',
    });

  const tls = await runTls(opts.runId);
  const root = await mkdtemp(join(tmpdir(), `sixgate-${opts.runId}-`));
  opts.teardown.add(`remove ${root}`, () => rm(root, { recursive: true, force: true }));
  const programs = new Map(availablePrograms().map((p) => [p.name, p.entry]));
  const hosts = new Map<string, StartedHost>();
  const ports = new Map<number, string>();
  // The host's IPv4 cannot be taken away, so an IPv6-only run starts nothing to test.
  const agents = ipv6Only ? [] : opts.agents;
  for (const spec of agents) {
    const missing = (why: string, remedy: string) =>
      unavailable.push({ what: `agent:${spec.key}`, remedy: `${why}; ${remedy}` });
    const program = programs.get(spec.program ?? 'agent');
    const ip = spec.managementIp === '@ula' ? primary.ula : spec.managementIp;
    if (spec.managementIp === '@tentative')
      missing(
        "its management_ip is an address added to the host after the agent started, and this host's addresses are the developer's own",
        'use --provider docker',
      );
    else if (spec.image || !program)
      missing(
        `program ${spec.image ?? spec.program} cannot run as a host process`,
        'use --provider docker',
      );
    else if (!ip) missing('this host has no ULA', 'use --provider docker');
    else if (ports.has(spec.managementPort))
      missing(
        `port ${spec.managementPort} is taken by agent ${ports.get(spec.managementPort)}`,
        'use --provider docker',
      );
    if (unavailable.some((u) => u.what === `agent:${spec.key}`)) continue;
    ports.set(spec.managementPort, spec.key);
    const cert = await tls.agentCert({
      names: ['localhost', hostname()],
      ula: primary.ula,
      ipv4: primary.ipv4,
      ipv6Sans: spec.ipv6Sans,
    });
    const agent = await startLocalAgent({
      root: join(root, spec.key),
      program,
      managementIp: ip,
      port: spec.managementPort,
      mutualTls: spec.mutualTls,
      tls: { ca: tls.ca.certPem, cert: cert.certPem, key: cert.keyPem },
    });
    opts.teardown.add(`stop agent ${spec.key}`, () => agent.stop());
    hosts.set(spec.key, {
      name: hostname(),
      role: 'agent',
      aliases: ['localhost'],
      interfaces,
      primary,
      probe,
      logs: async (tail = 100) => agent.logs().split('\n').slice(-tail).join('\n'),
    });
  }
  hosts.set('peer', {
    name: hostname(),
    role: 'peer',
    aliases: ['localhost'],
    interfaces,
    primary,
    probe,
    logs: async () => '',
  });
  return {
    runId: opts.runId,
    provider: 'local',
    mode: opts.mode,
    hosts,
    tls: tls.client,
    facts: { 'local.host': hostname() },
    unavailable,
    release: () => undefined,
  };
}
