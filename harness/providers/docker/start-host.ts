// One host of the run: an agent container plus a probe sidecar in its namespace, or the `peer`
// (a bare probe container). The engine container (start-engine.ts) is built from the same parts.
import type Docker from 'dockerode';
import { SixgateError, SixgateTimeoutError } from '../../errors/index.ts';
import { programPath } from '../../images/index.ts';
import type { LineChannel } from '../../probe/channel.ts';
import type { PlannedHost, TopologyPlan } from '../../topology/index.ts';
import { runLabels } from '../../topology/index.ts';
import type { RunTls } from '../run-tls.ts';
import type { Teardown } from '../teardown.ts';
import { AGENT_PATHS, vdsmConf } from '../vdsm-conf.ts';
import { attachProbe, containerLogs, createContainer, probeCmd } from './containers.ts';
import { removeContainer } from './cleanup.ts';

export interface RunningHost {
  planned: PlannedHost;
  /** The probe container's name: where `docker exec` runs a client in this namespace. */
  probeName: string;
  /** The container that owns the namespace (agent, engine or peer). */
  main: Docker.Container;
  probe: LineChannel;
}

export interface Ctx {
  docker: Docker;
  plan: TopologyPlan;
  image: string;
  tls: RunTls;
  teardown: Teardown;
}

export async function started(ctx: Ctx, c: Docker.Container, what: string): Promise<void> {
  ctx.teardown.add(`remove ${what}`, () => removeContainer(ctx.docker, c.id));
}

/** The name that resolves to an agent's ULA only: an /etc/hosts line with no A record beside it. */
export const aaaaOnlyName = (h: PlannedHost) => `${h.aliases[0]}-v6`;

export function extraHosts(plan: TopologyPlan): string[] {
  return plan.hosts.filter((h) => h.spec).map((h) => `${aaaaOnlyName(h)}:${h.ula}`);
}

export async function startProbe(
  ctx: Ctx,
  h: PlannedHost,
  network: Parameters<typeof createContainer>[1]['network'],
  name: string,
) {
  const c = await createContainer(ctx.docker, {
    name,
    image: ctx.image,
    cmd: probeCmd,
    labels: { ...runLabels(ctx.plan.runId), 'sixgate.host': h.key, 'sixgate.role': 'probe' },
    network,
    netAdmin: true,
    stdin: true,
    extraHosts: extraHosts(ctx.plan),
    // Where vdsClient looked for its PKI, so `client -s <spec> getVdsCaps` works there as typed.
    files: [
      { path: AGENT_PATHS.ca, content: ctx.tls.client.ca },
      { path: AGENT_PATHS.cert, content: ctx.tls.client.clientCert },
      { path: AGENT_PATHS.key, content: ctx.tls.client.clientKey, mode: 0o600 },
    ],
  });
  await started(ctx, c, name);
  const probe = await attachProbe(ctx.docker, c, name);
  ctx.teardown.add(`close probe ${name}`, async () => probe.close());
  await c.start();
  return { container: c, probe };
}

/** The error for a host whose program has exited, with its log; undefined while it runs. */
async function exited(
  planned: PlannedHost,
  main: Docker.Container,
): Promise<SixgateError | undefined> {
  const state = await main.inspect();
  if (state.State.Running) return undefined;
  return new SixgateError(
    'SIXGATE_HOST_EXITED',
    `${planned.role} ${planned.containerName} exited (code ${state.State.ExitCode})`,
    { hint: `its log:\n${await containerLogs(main, 30)}` },
  );
}

/**
 * The probe sidecar in a started host's namespace. A program that dies at once takes its
 * namespace with it and Docker's error names only a /proc path; say which host died, and why.
 */
export async function startSidecar(
  ctx: Ctx,
  h: PlannedHost,
  main: Docker.Container,
  name: string,
): Promise<LineChannel> {
  try {
    return (await startProbe(ctx, h, { shareWith: main.id }, name)).probe;
  } catch (err) {
    throw (await exited(h, main)) ?? err;
  }
}

/** Waits until the host's program listens, so the first case does not race its start-up. */
export async function waitListening(
  ctx: Ctx,
  host: RunningHost,
  port: number,
  timeoutMs = 15_000,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const died = await exited(host.planned, host.main);
    if (died) throw died;
    if ((await host.probe.request({ op: 'listeners' })).some((l) => l.port === port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new SixgateTimeoutError(
    `${host.planned.role} ${host.planned.containerName} to listen on port ${port}`,
    timeoutMs,
  );
}

export const hostNetwork = (ctx: Ctx, h: PlannedHost) => ({
  name: ctx.plan.network.name,
  aliases: h.aliases,
  ipv6: h.ula,
  ipv4: h.ipv4,
});

export async function startHost(ctx: Ctx, h: PlannedHost): Promise<RunningHost> {
  const network = hostNetwork(ctx, h);
  if (!h.spec) {
    const { container, probe } = await startProbe(ctx, h, network, h.containerName);
    return { planned: h, main: container, probe, probeName: h.containerName };
  }
  const spec = h.spec;
  const cert = await ctx.tls.agentCert({
    names: [...h.aliases, aaaaOnlyName(h), h.containerName],
    ula: h.ula,
    ipv4: h.ipv4,
    ipv6Sans: spec.ipv6Sans,
  });
  const paths = { ...AGENT_PATHS, ...spec.paths };
  const main = await createContainer(ctx.docker, {
    name: h.containerName,
    image: spec.image ?? ctx.image,
    ...(spec.image ? {} : { cmd: [programPath(spec.program ?? 'agent')] }),
    labels: { ...runLabels(ctx.plan.runId), 'sixgate.host': h.key, 'sixgate.role': 'agent' },
    network,
    extraHosts: extraHosts(ctx.plan),
    files: [
      { path: paths.conf, content: vdsmConf(spec, h.ula) },
      { path: paths.key, content: cert.keyPem, mode: 0o600 },
      { path: paths.cert, content: cert.certPem },
      { path: paths.ca, content: ctx.tls.ca.certPem },
    ],
  });
  await started(ctx, main, h.containerName);
  await main.start();
  const probeName = `${h.containerName}-probe`;
  const probe = await startSidecar(ctx, h, main, probeName);
  const host = { planned: h, main, probe, probeName };
  await waitListening(ctx, host, spec.managementPort);
  return host;
}
