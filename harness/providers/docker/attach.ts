// Reattaching to a kept run (`sixgate run --on RUN-ID`): a kept run leaves a record inside its
// peer container — the addresses read from inside each namespace at start, the engine's port,
// the target it was started for, the probes' client TLS material — and a later process rebuilds
// the StartedTopology from it and the run's labels, starting nothing. The record lives and dies
// with the run; a copy on this machine (record-cache.ts) only saves reading it out again. Probes
// are the ones the run's containers already run, attached to, where the runtime allows.
import { randomInt } from 'node:crypto';
import type Docker from 'dockerode';
import { SixgateError } from '../../errors/index.ts';
import { programPath } from '../../images/programs.ts';
import { firstMember } from '../../images/tar.ts';
import type { LineChannel } from '../../probe/channel.ts';
import { LABEL_IMAGE, LABEL_KEPT, LABEL_OWNER, ownerIsDead } from '../../topology/index.ts';
import type { NetworkMode, RuntimeEndpoint, StartedHost, StartedTopology } from '../contract.ts';
import type { ProviderId } from '../registry.ts';
import { attachProbe, clientCommand, containerLogs, streamChannel } from './containers.ts';
import { putFiles } from './image-user.ts';
import { readRecordCopy, saveRecordCopy } from './record-cache.ts';

/** Inside the peer container, beside the client PKI the probes already carry there (0600). */
export const RUN_RECORD_PATH = '/etc/sixgate/run.json';
const RECORD_MAX_BYTES = 1 << 20;
/** The target a run was started for, on every container of it. */
export const LABEL_TARGET = 'sixgate.target';

/** What a run was started for: the target's name, and its spec when it is not a built-in one. */
export interface StartedFor {
  target: string;
  /** The whole target (a profile's images, programs, paths), as JSON. */
  spec?: unknown;
  /** A vendor's target runs beside the reference one (the control arm). */
  control?: boolean;
  /** The cells it was started for (`up --cell`), for the hint when a later run asks for more. */
  cells?: string[];
}

type RecordedHost = Omit<StartedHost, 'probe' | 'logs' | 'clientCommand'> & {
  key: string;
  probeName: string;
};
type RecordedEngine = { key: string; port: number; apiBase?: string; identity: string };

export interface RunRecord {
  version: 1;
  runId: string;
  mode: NetworkMode;
  ipv6OnlyMethod?: StartedTopology['ipv6OnlyMethod'];
  network?: StartedTopology['network'];
  facts: Record<string, string>;
  startedFor?: StartedFor;
  hosts: RecordedHost[];
  engine?: RecordedEngine;
  controlEngine?: RecordedEngine;
  failed?: Array<[string, string]>;
  unavailable?: StartedTopology['unavailable'];
  tls: StartedTopology['tls'];
  /** False when no started cell needed a link-local address: the run did not wait for DAD. */
  dadAwaited: boolean;
}

type Run = Omit<StartedTopology, 'describe' | 'down' | typeof Symbol.asyncDispose>;

/** The record of a just-started run; `probeNames` says where each host's probe runs. */
export function runRecord(
  run: Run,
  probeNames: Map<string, string>,
  o: { startedFor?: StartedFor; dadAwaited: boolean },
): RunRecord {
  const engine = (e: Run['engine']): RecordedEngine | undefined => {
    const key = e && [...run.hosts].find(([, h]) => h === e.host)?.[0];
    return e && key
      ? { key, port: e.port, identity: e.identity, ...(e.apiBase ? { apiBase: e.apiBase } : {}) }
      : undefined;
  };
  return {
    version: 1,
    runId: run.runId,
    mode: run.mode,
    ...(run.ipv6OnlyMethod ? { ipv6OnlyMethod: run.ipv6OnlyMethod } : {}),
    ...(run.network ? { network: run.network } : {}),
    facts: run.facts,
    ...(o.startedFor ? { startedFor: o.startedFor } : {}),
    hosts: [...run.hosts].map(([key, h]) => ({
      key,
      name: h.name,
      role: h.role,
      ...(h.containerId ? { containerId: h.containerId } : {}),
      aliases: h.aliases,
      interfaces: h.interfaces,
      primary: h.primary,
      ...(h.formerIpv4 ? { formerIpv4: h.formerIpv4 } : {}),
      ...(h.aaaaOnlyName ? { aaaaOnlyName: h.aaaaOnlyName } : {}),
      ...(h.managementIp ? { managementIp: h.managementIp } : {}),
      probeName: probeNames.get(key) ?? h.name,
    })),
    ...(engine(run.engine) ? { engine: engine(run.engine) } : {}),
    ...(engine(run.controlEngine) ? { controlEngine: engine(run.controlEngine) } : {}),
    ...(run.failed ? { failed: [...run.failed] } : {}),
    ...(run.unavailable ? { unavailable: run.unavailable } : {}),
    tls: run.tls,
    dadAwaited: o.dadAwaited,
  };
}

/** Writes the record into the peer container (our image, root's, 0600: it holds the client key). */
export async function writeRunRecord(
  docker: Docker,
  peer: string,
  image: string,
  record: RunRecord,
): Promise<void> {
  await putFiles(docker.getContainer(peer), image, [
    { path: RUN_RECORD_PATH, content: JSON.stringify(record), mode: 0o600 },
  ]);
}

/** A run that cannot be attached to: a bad id (exit 2) or a run this sixgate cannot use (3). */
export class RunAttachError extends SixgateError {
  constructor(
    code: 'SIXGATE_NO_SUCH_RUN' | 'SIXGATE_RUN_NOT_KEPT' | 'SIXGATE_RUN_INCOMPATIBLE',
    message: string,
    hint: string,
    cause?: unknown,
  ) {
    super(code, message, { hint, cause, exitCode: code === 'SIXGATE_RUN_INCOMPATIBLE' ? 3 : 2 });
  }
}

const RUN_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** A bad run id is refused before any runtime is asked about it. */
export function checkRunId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw new RunAttachError(
      'SIXGATE_NO_SUCH_RUN',
      `--on: '${runId.slice(0, 80)}' is not a run id (1-64 of A-Z a-z 0-9 _ . -)`,
      "'sixgate ps' lists the runs",
    );
  }
}

/** The runtime a kept run is on, as the search of every reachable runtime found it. */
export interface RunRuntime {
  docker: Docker;
  provider: ProviderId;
  endpoint: RuntimeEndpoint;
  /** The command a person types to reach its containers (`docker`, `podman`). */
  cli?: string;
  /** For messages: `podman at unix:///run/podman/podman.sock`. */
  where: string;
  /** The run's containers, as the search found them: not listed a second time. */
  containers: Docker.ContainerInfo[];
  /** How this process reaches the run's probes (the runtime's `probes`). */
  probes: 'attach' | 'exec';
}

async function readRecord(container: Docker.Container): Promise<RunRecord> {
  const stream = (await container.getArchive({ path: RUN_RECORD_PATH })) as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // The tar framing adds a few KiB around the record.
    if (size > RECORD_MAX_BYTES + 64 * 1024) throw new Error('the run record is over 1 MiB');
    parts.push(chunk);
  }
  const rec = JSON.parse(firstMember(Buffer.concat(parts)).content.toString('utf8')) as RunRecord;
  if (rec.version !== 1) throw new Error(`run record version ${String(rec.version)}`);
  return rec;
}

/** A probe channel opened on its first request. */
function onFirstUse(open: () => Promise<LineChannel>): LineChannel {
  let opened: Promise<LineChannel> | undefined;
  return {
    request: ((req: Parameters<LineChannel['request']>[0]) =>
      (opened ??= open()).then((c) => c.request(req))) as LineChannel['request'],
    close: () => {
      opened?.then(
        (c) => c.close(),
        () => undefined,
      );
    },
  };
}

/**
 * The probe a kept run's container already runs, reached by attaching to its stdin and stdout
 * (~10 ms), not by starting another (~200 ms, most of a one-cell rerun). Every process attached
 * sees every reply; this one's ids start at a random point, so it settles only its own. Closing
 * lets go of the attach; the container's stdin stays open (StdinOnce false) for the next one.
 */
const attachedProbe = (docker: Docker, container: string) =>
  onFirstUse(() =>
    attachProbe(docker, docker.getContainer(container), container, randomInt(1, 2 ** 40) * 1024),
  );

/**
 * A probe of this process's own: `exec` of the probe program in the probe container, ending
 * when this process closes its stdin (the container's own probe stays). For a runtime that
 * closes a container's stdin when its first attach leaves (Podman).
 */
const execProbe = (docker: Docker, container: string) =>
  onFirstUse(async () => {
    const boot = `process.stdin.once('end',()=>process.exit(0));import(${JSON.stringify(programPath('probe'))})`;
    const exec = await docker.getContainer(container).exec({
      // The image's node: /usr/bin/node from scratch, or on PATH in a SIXGATE_BASE_IMAGE.
      Cmd: ['node', '-e', boot],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream;
    return streamChannel(docker, stream, container);
  });

export interface AttachedRun {
  run: Run & { release(): void };
  startedFor?: StartedFor;
  dadAwaited: boolean;
}

/**
 * The kept run `runId` on the runtime `at`, rebuilt without starting anything. Refused, naming
 * the id and what to do: no such run, a run that is not kept (it belongs to its process, or to
 * the next sweep), one made by a sixgate whose image differs from this checkout's, or one whose
 * containers are no longer running.
 */
export async function attachDocker(runId: string, at: RunRuntime): Promise<AttachedRun> {
  checkRunId(runId);
  const { docker, containers } = at;
  const first = containers[0];
  if (!first) {
    throw new RunAttachError(
      'SIXGATE_NO_SUCH_RUN',
      `no run ${runId} on ${at.where}`,
      "'sixgate ps' lists the runs; 'sixgate up' starts a kept one",
    );
  }
  const labels = first.Labels ?? {};
  if (!labels[LABEL_KEPT]) {
    const owner = labels[LABEL_OWNER] ?? '?';
    throw new RunAttachError(
      'SIXGATE_RUN_NOT_KEPT',
      ownerIsDead(owner)
        ? `run ${runId} was not kept: its owner (${owner}) died, and the next run's sweep removes it`
        : `run ${runId} is not kept: it belongs to its process (${owner}) and goes when that ends`,
      "start a kept run with 'sixgate up' (or 'sixgate run --keep') and use its id",
    );
  }
  const { imageTag } = await import('../../images/build.ts');
  const mine = await imageTag();
  const theirs = labels[LABEL_IMAGE];
  if (theirs !== mine) {
    throw new RunAttachError(
      'SIXGATE_RUN_INCOMPATIBLE',
      `run ${runId} was started by another sixgate (its image ${theirs ?? 'unknown'}, this checkout's ${mine})`,
      `remove it and start one from this checkout: sixgate down ${runId} && sixgate up`,
    );
  }
  const stopped = containers.find((c) => c.State !== 'running');
  if (stopped) {
    throw new RunAttachError(
      'SIXGATE_RUN_INCOMPATIBLE',
      `run ${runId} is broken: its container ${stopped.Names?.[0]?.replace(/^\//, '') ?? stopped.Id} is ${stopped.State}`,
      `remove it and start another: sixgate down ${runId} && sixgate up`,
    );
  }
  const peer = containers.find((c) => c.Labels?.['sixgate.host'] === 'peer');
  let rec: RunRecord;
  try {
    if (!peer) throw new Error('it has no peer container');
    const copy = await readRecordCopy(runId, peer.Id);
    rec = copy ?? (await readRecord(docker.getContainer(peer.Id)));
    if (!copy) await saveRecordCopy(rec, peer.Id);
  } catch (err) {
    throw new RunAttachError(
      'SIXGATE_RUN_INCOMPATIBLE',
      `run ${runId} has no run record sixgate can read (${(err as Error).message})`,
      `it was kept by an older sixgate: sixgate down ${runId} && sixgate up`,
      err,
    );
  }
  const probes: LineChannel[] = [];
  const hosts = new Map<string, StartedHost>();
  for (const { key, probeName, ...h } of rec.hosts) {
    const probe = (at.probes === 'exec' ? execProbe : attachedProbe)(docker, probeName);
    probes.push(probe);
    hosts.set(key, {
      ...h,
      probe,
      clientCommand: (argv) => clientCommand(probeName, argv, at.cli),
      logs: (tail) => containerLogs(docker.getContainer(h.name), tail),
    });
  }
  const engineAt = (e: RecordedEngine | undefined): StartedTopology['engine'] => {
    const host = e && hosts.get(e.key);
    return e && host
      ? {
          host,
          port: e.port,
          ca: rec.tls.ca,
          identity: e.identity,
          ...(e.apiBase ? { apiBase: e.apiBase } : {}),
        }
      : undefined;
  };
  const engine = engineAt(rec.engine);
  const controlEngine = engineAt(rec.controlEngine);
  return {
    run: {
      runId: rec.runId,
      provider: at.provider,
      endpoint: at.endpoint,
      mode: rec.mode,
      ...(rec.ipv6OnlyMethod ? { ipv6OnlyMethod: rec.ipv6OnlyMethod } : {}),
      ...(rec.network ? { network: rec.network } : {}),
      hosts,
      ...(engine ? { engine } : {}),
      ...(controlEngine ? { controlEngine } : {}),
      ...(rec.failed?.length ? { failed: new Map(rec.failed) } : {}),
      ...(rec.unavailable ? { unavailable: rec.unavailable } : {}),
      tls: rec.tls,
      facts: { ...rec.facts, attached: 'true' },
      release: () => probes.forEach((p) => p.close()),
    },
    ...(rec.startedFor ? { startedFor: rec.startedFor } : {}),
    dadAwaited: rec.dadAwaited,
  };
}
