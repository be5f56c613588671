// One host of the run: an agent container plus a probe sidecar in its namespace, or the `peer`
// (a bare probe container). The engine container (start-engine.ts) is built from the same parts.
import type Docker from 'dockerode';
import { describeError, SixgateError, SixgateTimeoutError } from '../../errors/index.ts';
import { programPath } from '../../images/index.ts';
import type { LineChannel } from '../../probe/channel.ts';
import type { PlannedHost, TopologyPlan } from '../../topology/index.ts';
import { runLabels } from '../../topology/index.ts';
import type { RunTls } from '../run-tls.ts';
import type { Teardown } from '../../lifecycle/teardown.ts';
import { AGENT_PATHS, vdsmConf } from '../vdsm-conf.ts';
import {
  attachProbe,
  containerLogs,
  createContainer,
  probeCmd,
  type ContainerOptions,
} from './containers.ts';
import { removeContainer } from './cleanup.ts';
import { ImageUserError } from './image-user.ts';

export interface RunningHost {
  planned: PlannedHost;
  /** It listened only in the second, doubled wait: slow, and said so in the report. */
  slowStart?: boolean;
  /** Its `@tentative` address was tentative when added; false: DAD does not run there. */
  tentativeWhenAdded?: boolean;
  /**
   * Why its `@tentative` address could not be added (the probe did not answer in time on a
   * loaded machine): the harness's problem, so its cells are not run, and it is not blamed.
   */
  addressProblem?: string;
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
  /** The run's ownership labels (run id, owner, kept), on every container. @default runLabels */
  labels?: Record<string, string>;
  /** EngineFlavour.hostConfig, on every container. */
  hostConfig?: Docker.HostConfig;
}

/**
 * Registers the container's removal by name *before* asking Docker for it, so one interrupted
 * mid-create (or mid-upload) is still removed; teardown waits for the create to come back.
 */
export function makeContainer(
  ctx: Ctx,
  o: Omit<ContainerOptions, 'labels'> & { host: PlannedHost; role: string },
): Promise<Docker.Container> {
  ctx.teardown.add(
    `remove container ${o.name}`,
    () => removeContainer(ctx.docker, o.name),
    'shareWith' in o.network ? 'sidecar' : 'container',
  );
  const labels = {
    ...(ctx.labels ?? runLabels(ctx.plan.runId)),
    'sixgate.host': o.host.key,
    'sixgate.role': o.role,
  };
  const made = createContainer(ctx.docker, {
    ...o,
    labels,
    ...(ctx.hostConfig ? { hostConfig: ctx.hostConfig } : {}),
  }).catch((err: unknown) => {
    // A vendor image whose USER cannot be resolved cannot be given its files: the image's fault.
    if (err instanceof ImageUserError && o.image !== ctx.image) {
      throw new HostStartError(o.host, err.message, { hint: err.hint, cause: err });
    }
    throw err;
  });
  return ctx.teardown.race(ctx.teardown.track(made));
}

/** The name that resolves to an agent's ULA only: an /etc/hosts line with no A record beside it. */
export const aaaaOnlyName = (h: PlannedHost) => `${h.aliases[0]}-v6`;

export function extraHosts(plan: TopologyPlan): string[] {
  return plan.hosts.filter((h) => h.spec).map((h) => `${aaaaOnlyName(h)}:${h.ula}`);
}

/** A probe container, created and attached to (no reply is lost), not yet started. */
async function makeProbe(
  ctx: Ctx,
  h: PlannedHost,
  network: Parameters<typeof createContainer>[1]['network'],
  name: string,
) {
  const c = await makeContainer(ctx, {
    name,
    host: h,
    role: 'probe',
    image: ctx.image,
    cmd: probeCmd,
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
  const probe = await ctx.teardown.race(attachProbe(ctx.docker, c, name));
  ctx.teardown.add(`close probe ${name}`, async () => probe.close(), 'detach');
  return { container: c, probe };
}

export async function startProbe(
  ctx: Ctx,
  h: PlannedHost,
  network: Parameters<typeof createContainer>[1]['network'],
  name: string,
) {
  const made = await makeProbe(ctx, h, network, name);
  await ctx.teardown.race(made.container.start());
  return made;
}

/**
 * A host of the target that did not come up as its configuration says: it exited, never
 * listened, or listens elsewhere. The target's failure, reported on the cells that need it.
 */
export class HostStartError extends SixgateError {
  constructor(
    readonly host: PlannedHost,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super('SIXGATE_TARGET_START', message, options);
  }
}

/** The error for a host whose program has exited, with its log; undefined while it runs. */
async function exited(
  planned: PlannedHost,
  main: Docker.Container,
): Promise<HostStartError | undefined> {
  const state = await main.inspect();
  if (state.State.Running) return undefined;
  return new HostStartError(
    planned,
    `${planned.role} ${planned.containerName} exited (code ${state.State.ExitCode})`,
    { hint: `its log:\n${await containerLogs(main, 30)}` },
  );
}

/**
 * The probe sidecar in a host's namespace: created and given its files while the host's own
 * container starts (`started`, its start), and started once that has. A program that dies at
 * once takes its namespace with it and Docker's error names only a /proc path; say which host
 * died, and why.
 */
export async function startSidecar(
  ctx: Ctx,
  h: PlannedHost,
  main: Docker.Container,
  name: string,
  started: Promise<void>,
): Promise<LineChannel> {
  const [made, start] = await Promise.allSettled([
    makeProbe(ctx, h, { shareWith: main.id }, name),
    started,
  ]);
  if (start.status === 'rejected') throw start.reason;
  try {
    if (made.status === 'rejected') throw made.reason;
    await ctx.teardown.race(made.value.container.start());
    return made.value.probe;
  } catch (err) {
    if (ctx.teardown.stopReason) throw err;
    throw (await exited(h, main).catch(() => undefined)) ?? err;
  }
}

/** Docker's embedded resolver, inside every container on a user-defined network. */
const DOCKER_DNS = '127.0.0.11';
/** A loaded daemon is asked about each waiting host no more often than this. */
const LISTEN_POLL_MS = 250;

/** How long a host has to listen; a slow start gets the same again before it is a verdict. */
export const LISTEN_TIMEOUT_MS = 15_000;

/** The most a silent probe of ours may add to a host's listen wait (see waitListening). */
const PROBE_SILENCE_MAX_MS = 120_000;

/**
 * Waits until the host's program listens on its configured port, so the first case does not
 * race its start-up. One that never does is the target's failure, naming where it does listen.
 * Time in which our own probe did not answer (a loaded machine: its node still starting) saw
 * nothing of the host, so it is not counted against the host; a probe silent for longer than
 * PROBE_SILENCE_MAX_MS is the harness's problem, never a verdict on the target.
 */
export async function waitListening(
  ctx: Ctx,
  host: RunningHost,
  port: number,
  timeoutMs = LISTEN_TIMEOUT_MS,
  silenceMaxMs = PROBE_SILENCE_MAX_MS,
): Promise<{ retried: boolean }> {
  const start = Date.now();
  let unseen = 0;
  let listeners: Array<{ port: number; display: string }> = [];
  while (Date.now() - start - unseen < 2 * timeoutMs) {
    ctx.teardown.check();
    const died = await exited(host.planned, host.main);
    if (died) throw died;
    const asked = Date.now();
    try {
      // Docker's embedded DNS listens on 127.0.0.11 in every container: not the target's.
      listeners = (await host.probe.request({ op: 'listeners' })).filter(
        (l) => !l.display.startsWith(`${DOCKER_DNS}:`),
      );
    } catch (err) {
      if (!(err instanceof SixgateTimeoutError)) throw err;
      await new Promise((r) => setTimeout(r, LISTEN_POLL_MS));
      unseen += Date.now() - asked;
      if (unseen > silenceMaxMs) {
        throw new SixgateTimeoutError(
          `sixgate's probe in ${host.probeName} to answer (the host's listening was never seen)`,
          silenceMaxMs,
        );
      }
      continue;
    }
    if (listeners.some((l) => l.port === port))
      return { retried: Date.now() - start - unseen > timeoutMs };
    await new Promise((r) => setTimeout(r, LISTEN_POLL_MS));
  }
  const what = `${host.planned.role} ${host.planned.containerName}`;
  throw new HostStartError(
    host.planned,
    listeners.length
      ? `the ${host.planned.role} listens on ${listeners.map((l) => l.display).join(', ')}, not on the configured port ${port}`
      : `the ${host.planned.role} did not listen on port ${port} within ${2 * timeoutMs} ms (${timeoutMs} ms, then once more)`,
    {
      hint: `see its log: docker logs ${host.planned.containerName}`,
      cause: new SixgateTimeoutError(`${what} to listen on port ${port}`, 2 * timeoutMs),
    },
  );
}

/** A silent program gets this long to have tried its bind before its address is added anyway. */
const FIRST_WORD_MS = 5_000;
const ADD_ADDRESS_MS = 45_000;

/**
 * Gives a host its `@tentative` management_ip (PlannedHost.tentative), with DAD on, once its
 * program has written its first log line (or FIRST_WORD_MS passed): its first bind met an
 * address the host did not have, and the binds of the next 1-2 s meet a tentative one. Waiting
 * for it to listen comes after, so the readiness check never runs before the address exists.
 * Answers whether the address was tentative when added.
 */
async function addTentative(
  ctx: Ctx,
  host: RunningHost,
  address: string,
): Promise<boolean | undefined> {
  const start = Date.now();
  while (Date.now() - start < FIRST_WORD_MS) {
    ctx.teardown.check();
    const died = await exited(host.planned, host.main);
    if (died) throw died;
    if ((await containerLogs(host.main, 1)).trim() !== '') break;
    await new Promise((r) => setTimeout(r, LISTEN_POLL_MS));
  }
  const prefixLength = Number(ctx.plan.network.subnet6.split('/')[1]);
  try {
    const added = await host.probe.request({
      op: 'add-address',
      iface: 'eth0',
      address,
      prefixLength,
      // A sidecar that has just started answers slowly on a loaded machine.
      timeoutMs: ADD_ADDRESS_MS,
    });
    return added.tentative;
  } catch (err) {
    // A program that died meanwhile takes eth0 with it, and the runtime may release the network
    // before it reports the exit: its exit is what to report, once the runtime says so.
    for (const until = Date.now() + FIRST_WORD_MS; Date.now() < until;) {
      const died = await exited(host.planned, host.main).catch(() => undefined);
      if (died) throw died;
      await new Promise((r) => setTimeout(r, LISTEN_POLL_MS));
    }
    ctx.teardown.check();
    host.addressProblem = describeError(err);
    return undefined;
  }
}

export const hostNetwork = (ctx: Ctx, h: PlannedHost) => ({
  name: ctx.plan.network.name,
  aliases: h.aliases,
  ipv6: h.ula,
  ipv4: h.ipv4,
});

/**
 * Starts the target's main container. Docker refusing to start a vendor's image (a missing
 * entrypoint, a bad user) is the image's failure; refusing ours is the harness's.
 */
export async function startTargetContainer(
  ctx: Ctx,
  h: PlannedHost,
  main: Docker.Container,
  vendor: boolean,
): Promise<void> {
  try {
    await ctx.teardown.race(main.start());
  } catch (err) {
    if (!vendor || ctx.teardown.stopReason) throw err;
    throw new HostStartError(
      h,
      `Docker could not start the ${h.role} image: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

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
    managementIp: h.tentative,
    ipv4: h.ipv4,
    ipv6Sans: spec.ipv6Sans,
  });
  const paths = { ...AGENT_PATHS, ...spec.paths };
  const main = await makeContainer(ctx, {
    name: h.containerName,
    host: h,
    role: 'agent',
    image: spec.image ?? ctx.image,
    ...(spec.image ? {} : { cmd: [programPath(spec.program ?? 'agent')] }),
    network,
    extraHosts: extraHosts(ctx.plan),
    // Podman's netavark turns DAD off on the interfaces it makes; an address added later goes
    // through it only with the kernel's default back (Docker leaves it so already).
    ...(h.tentative ? { sysctls: { 'net.ipv6.conf.eth0.accept_dad': '1' } } : {}),
    files: [
      { path: paths.conf, content: vdsmConf(spec, h) },
      { path: paths.key, content: cert.keyPem, mode: 0o600 },
      { path: paths.cert, content: cert.certPem },
      { path: paths.ca, content: ctx.tls.ca.certPem },
    ],
  });
  const probeName = `${h.containerName}-probe`;
  const started = startTargetContainer(ctx, h, main, spec.image !== undefined);
  const probe = await startSidecar(ctx, h, main, probeName, started);
  const host: RunningHost = { planned: h, main, probe, probeName };
  if (h.tentative) {
    const tentative = await addTentative(ctx, host, h.tentative);
    if (tentative === undefined) return host;
    host.tentativeWhenAdded = tentative;
  }
  host.slowStart = (await waitListening(ctx, host, spec.managementPort)).retried;
  return host;
}
