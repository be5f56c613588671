// Whether one run's hosts can reach another run's on this daemon. Docker routes IPv6 between
// bridge networks unless dockerd runs with ip6tables (20.10: `--experimental --ip6tables`), and
// then a cell's verdict could depend on a neighbour. Not read from the daemon's flags but proved:
// two throwaway networks of a throwaway run, a listener on one, a connect from the other.
import type Docker from 'dockerode';
import { SixgateError } from '../../errors/index.ts';
import { ensureImage } from '../../images/index.ts';
import type { LineChannel } from '../../probe/channel.ts';
import { LABEL_IMAGE, newRunId, randomUlaPrefix, runLabels } from '../../topology/index.ts';
import { randomIpv4Prefix } from '../../topology/plan.ts';
import { Teardown } from '../../lifecycle/teardown.ts';
import { removeContainer, removeNetwork } from './cleanup.ts';
import { dockerClient } from './client.ts';
import { attachProbe, createContainer, probeCmd } from './containers.ts';

/** The agent's port: what a neighbour's cell would reach. */
const PORT = 54321;
/** A bridge answers in well under a millisecond; a firewall that drops says nothing at all. */
const CONNECT_TIMEOUT_MS = 2_000;
const OVERLAP = /overlap|already in use|conflicts with/i;
const ATTEMPTS = 4;

export interface RunIsolation {
  isolated: boolean;
  /** `connected`, or how the cross-run connect ended: ETIMEDOUT, EHOSTUNREACH, ECONNREFUSED, … */
  outcome: string;
  /** What was tried and what happened, for a person. */
  detail: string;
  /** The throwaway run that made the check; nothing of it is left on the daemon. */
  runId: string;
}

interface Side {
  network: string;
  /** The /64's prefix, ending in `::`. */
  prefix: string;
}

async function subnetsInUse(docker: Docker): Promise<string[]> {
  return (await docker.listNetworks())
    .flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ''))
    .filter((s) => s !== '');
}

/** The networks, made side by side; a subnet another run took meanwhile is drawn again. */
async function createNetworks(
  docker: Docker,
  teardown: Teardown,
  names: string[],
  labels: Record<string, string>,
): Promise<Side[]> {
  for (const name of names)
    teardown.add(`remove network ${name}`, () => removeNetwork(docker, name), 'network');
  const made = new Map<string, Side>();
  let lastErr: unknown;
  for (let attempt = 0; attempt < ATTEMPTS && made.size < names.length; attempt++) {
    // An explicit /24 rather than Docker's pick, which would take a whole /16 that runs plan in.
    const inUse = await subnetsInUse(docker);
    const todo = names
      .filter((name) => !made.has(name))
      .map((name) => {
        const v4 = randomIpv4Prefix(inUse);
        inUse.push(`${v4}0/24`);
        return { name, v4, prefix: randomUlaPrefix() };
      });
    const results = await Promise.allSettled(
      todo.map((t) =>
        teardown.track(
          docker.createNetwork({
            Name: t.name,
            Driver: 'bridge',
            EnableIPv6: true,
            IPAM: {
              Driver: 'default',
              Config: [
                { Subnet: `${t.prefix}/64`, Gateway: `${t.prefix}1` },
                { Subnet: `${t.v4}0/24`, Gateway: `${t.v4}1` },
              ],
            },
            Labels: labels,
            CheckDuplicate: true,
          }),
        ),
      ),
    );
    results.forEach((r, i) => {
      const t = todo[i]!;
      if (r.status === 'fulfilled') made.set(t.name, { network: t.name, prefix: t.prefix });
      else lastErr = r.reason;
    });
    if (results.some((r) => r.status === 'rejected' && !OVERLAP.test(String(r.reason)))) break;
  }
  if (made.size < names.length) {
    throw new SixgateError('SIXGATE_NETWORK_CREATE', `could not create ${names.join(' and ')}`, {
      cause: lastErr,
      hint: 'check that dockerd allows IPv6 networks (`sixgate doctor`)',
      exitCode: 3,
    });
  }
  return names.map((name) => made.get(name)!);
}

async function startProbeOn(
  docker: Docker,
  teardown: Teardown,
  o: { name: string; image: string; labels: Record<string, string>; ipv6: string; side: Side },
): Promise<LineChannel> {
  teardown.add(`remove container ${o.name}`, () => removeContainer(docker, o.name));
  const container = await teardown.track(
    createContainer(docker, {
      name: o.name,
      image: o.image,
      cmd: probeCmd,
      labels: o.labels,
      network: { name: o.side.network, aliases: [], ipv6: o.ipv6 },
      stdin: true,
    }),
  );
  const probe = await attachProbe(docker, container, o.name);
  teardown.add(`close probe ${o.name}`, async () => probe.close(), 'detach');
  await container.start();
  return probe;
}

async function probeIsolation(
  docker: Docker,
  image: string,
  runId: string,
  teardown: Teardown,
): Promise<RunIsolation> {
  const labels = { ...runLabels(runId), [LABEL_IMAGE]: image, 'sixgate.role': 'isolation-check' };
  const name = (what: string) => `sixgate-${runId}-isolation-${what}`;
  const [here, there] = await createNetworks(docker, teardown, [name('a'), name('b')], labels);
  const target = `${here!.prefix}10`;
  const start = (what: string, side: Side, ipv6: string) =>
    startProbeOn(docker, teardown, { name: name(what), image, labels, ipv6, side });
  // A neighbour on the listener's own network: a connect that fails from the other run proves
  // isolation only if this one gets through, else the listener itself is what is broken.
  const [listener, neighbour, outsider] = await Promise.all([
    start('listener', here!, target),
    start('neighbour', here!, `${here!.prefix}11`),
    start('outsider', there!, `${there!.prefix}10`),
  ]);
  await listener!.request({ op: 'listen', host: '::', port: PORT });
  const attempt = (from: LineChannel) =>
    from.request({ op: 'tcp-connect', host: target, port: PORT, timeoutMs: CONNECT_TIMEOUT_MS });
  const [cross, control] = await Promise.all([attempt(outsider!), attempt(neighbour!)]);
  const tried = `[${target}]:${PORT} on network ${here!.network}, from ${there!.prefix}10 on network ${there!.network}`;
  if (!control.ok) {
    throw new SixgateError(
      'SIXGATE_ISOLATION_UNKNOWN',
      `cannot tell whether runs are isolated: [${target}]:${PORT} did not answer from its own network either (${control.code}: ${control.message})`,
      {
        hint: 'containers on one network cannot reach each other; run `sixgate doctor`',
        exitCode: 3,
      },
    );
  }
  return cross.ok
    ? { isolated: false, outcome: 'connected', detail: `${tried}: connected`, runId }
    : {
        isolated: true,
        outcome: cross.code,
        detail: `${tried}: ${cross.code}; from its own network: connected`,
        runId,
      };
}

export interface IsolationOptions {
  docker?: Docker;
  /** The sixgate image; built (or found) by ensureImage when left out. */
  image?: string;
  /**
   * Where the check registers what it makes, run when it ends: a scope of its own from the run
   * owner (`owner.scope()`), so a signal cancels the check and removes what it made.
   * @default a teardown of its own
   */
  teardown?: Teardown;
}

/**
 * Proves whether runs on this daemon are isolated from each other. Removes everything it made,
 * also when it fails; takes a few seconds (a dropped connect is waited for, ≤ 2 s).
 */
export async function checkRunIsolation(options: IsolationOptions = {}): Promise<RunIsolation> {
  const docker = options.docker ?? dockerClient();
  const teardown = options.teardown ?? new Teardown();
  const runId = newRunId();
  let left: Error[];
  let result: RunIsolation;
  try {
    const image = options.image ?? (await teardown.race(ensureImage(docker))).tag;
    result = await teardown.race(probeIsolation(docker, image, runId, teardown));
  } finally {
    left = await teardown.run();
  }
  // Reached only when the check itself succeeded: a failure's own error says more.
  if (left.length) {
    throw new SixgateError(
      'SIXGATE_TEARDOWN',
      `the isolation check left resources of run ${runId}`,
      {
        cause: new AggregateError(left),
        hint: `sixgate down ${runId}`,
      },
    );
  }
  return result;
}

const checked = new Map<string, Promise<RunIsolation>>();

/**
 * checkRunIsolation once per daemon and process (isolation changes only when dockerd restarts):
 * what a run records as `isolation=yes|no`. A check that failed is tried again next time.
 */
export function runIsolation(options: IsolationOptions = {}): Promise<RunIsolation> {
  const docker = options.docker ?? dockerClient();
  const m = docker.modem as { socketPath?: string; host?: string; port?: number };
  const key = m.socketPath ?? `${m.host}:${m.port}`;
  let pending = checked.get(key);
  if (!pending) {
    pending = checkRunIsolation({ ...options, docker });
    pending.catch(() => checked.delete(key));
    checked.set(key, pending);
  }
  return pending;
}
