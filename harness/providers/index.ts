// startTopology: picks a provider from the registry, registers the topology's teardown with the
// process's run owner (one signal handler for every topology), and turns a provider's run into
// a disposable StartedTopology.
import { NoDockerError, UsageError } from '../errors/index.ts';
import { RunOwner, TeardownError } from '../lifecycle/index.ts';
import { newRunId } from '../topology/index.ts';
import type { AgentSpec, EngineSpec, NetworkMode, StartedTopology } from './contract.ts';
import { describeTopology } from './describe.ts';
import { findRuntime, identifyRuntime, type FoundRuntime } from './discover.ts';
import { attachDocker, type StartedFor } from './docker/attach.ts';
import { PROVIDERS, type ProviderChoice, type ProviderId } from './registry.ts';
import { runtimeHolding, sweepOnce } from './runtimes.ts';

export interface TopologyOptions {
  mode: NetworkMode;
  agents: AgentSpec[];
  /**
   * Run the engine under test as a host of the run (`hosts.get('engine')`, `engine` on the
   * result): `true` for the reference engine on port 8443. A provider without the `engine`
   * capability lists it as unavailable.
   */
  engine?: boolean | EngineSpec;
  /** The reference engine too, as the control arm of a vendor's engine. */
  controlEngine?: boolean;
  /** `auto`: the runtime discovery finds (Docker or Podman), else the local provider. @default 'auto' */
  provider?: ProviderChoice;
  /**
   * Leave everything up when disposed (not on a failed start), labelled as kept so no sweep
   * touches it; `sixgate down <run-id>` removes it.
   */
  keep?: boolean;
  /** @default 8 random hex digits */
  runId?: string;
  /**
   * The process's run owner: its signal handler tears this topology down. @default a new owner
   * of its own, disposed with the topology
   */
  owner?: RunOwner;
  /**
   * What the selected cells need beyond their hosts (the agents above, the engine): `dad` waits
   * until link-local addresses leave DAD, which only link-local cells need; `peer` starts the
   * probe host that cells run from another host than their agent's use when no engine stands in
   * its place (a kept run always has one: its record lives there). @default { dad: true, peer: true }
   */
  needs?: { dad?: boolean; peer?: boolean };
  /** Labelled on the run, and recorded in a kept one for `sixgate run --on`. */
  startedFor?: StartedFor;
}

export interface PickedProvider {
  provider: ProviderId;
  /** For the report and the banner: why this provider, and where its runtime is. */
  why: string;
  /** Where its runtime is, for a provider that drives one and when one was found. */
  runtime?: FoundRuntime;
  /** `auto` found no runtime at all and took the local provider. */
  fallback?: boolean;
}

const ids = () => Object.keys(PROVIDERS) as ProviderId[];
const at = (r: FoundRuntime) => `${r.uri}, from ${r.strategy}`;

/**
 * `auto` is the runtime the user configured (DOCKER_HOST, ~/.testcontainers.properties) or whose
 * socket is there, Docker or Podman as its /version says; one that does not answer stays the
 * choice, and its start is the environment error (exit 3), never a quiet switch to a smaller
 * run. Only where no runtime is found at all is it the local provider.
 */
export async function pickProvider(
  p: ProviderChoice = 'auto',
  env: NodeJS.ProcessEnv = process.env,
): Promise<PickedProvider> {
  if (p !== 'auto') {
    if (!PROVIDERS[p].runtime) return { provider: p, why: `--provider ${p}` };
    const runtime = await findRuntime(p, env);
    return runtime
      ? { provider: p, why: `--provider ${p} (${at(runtime)})`, runtime }
      : { provider: p, why: `--provider ${p} (no ${PROVIDERS[p].title} socket found)` };
  }
  const runtime = await findRuntime(undefined, env);
  if (!runtime) {
    const titles = ids()
      .filter((id) => PROVIDERS[id].runtime)
      .map((id) => PROVIDERS[id].title)
      .join(' or ');
    return {
      provider: 'local',
      why: `no container runtime configured (no DOCKER_HOST, no ~/.testcontainers.properties, no ${titles} socket): falling back to the local provider`,
      fallback: true,
    };
  }
  try {
    const found = await identifyRuntime(runtime);
    return {
      provider: found.provider ?? runtime.likely,
      why: `${found.name} at ${at(runtime)}`,
      runtime,
    };
  } catch (err) {
    return {
      provider: runtime.likely,
      why: `${PROVIDERS[runtime.likely].title} configured at ${at(runtime)}, not answering: ${(err as Error).message}`,
      runtime,
    };
  }
}

export async function startTopology(options: TopologyOptions): Promise<StartedTopology> {
  const picked = await pickProvider(options.provider);
  const provider = PROVIDERS[picked.provider];
  // Never another runtime's default socket in its place: a Podman run on Docker by surprise.
  if (provider.runtime && !picked.runtime)
    throw new NoDockerError(new Error(picked.why), {
      what: `${provider.title} runtime`,
      hint: `start ${provider.title} (or set DOCKER_HOST), or run with --provider local`,
    });
  const runId = options.runId ?? newRunId();
  const ownOwner = options.owner ? undefined : new RunOwner();
  const owner = options.owner ?? ownOwner!;
  const teardown = owner.scope();
  const releaseOwner = async () => {
    if (ownOwner) await ownOwner[Symbol.asyncDispose]();
  };
  let run: Awaited<ReturnType<typeof provider.start>>;
  try {
    // Dead runs go first, on every runtime this machine reaches: their subnets and names too.
    const sweep = provider.runtime ? await teardown.race(sweepOnce()) : undefined;
    const engine = options.engine === true ? {} : options.engine || undefined;
    const can = provider.capabilities;
    run = await provider.start({
      runId,
      mode: options.mode,
      agents: options.agents,
      teardown,
      ...(can.engine && engine ? { engine } : {}),
      ...(can.engine && options.controlEngine && engine ? { controlEngine: {} } : {}),
      ...(can.keep && options.keep ? { keptAt: new Date() } : {}),
      ...(options.needs?.dad === false ? { dad: false } : {}),
      ...(options.needs?.peer === false ? { peer: false } : {}),
      ...(options.startedFor ? { startedFor: options.startedFor } : {}),
      ...(picked.runtime ? { endpoint: picked.runtime.endpoint } : {}),
    });
    if (sweep?.swept.length) run.facts['swept-runs'] = sweep.swept.join(',');
    if (sweep?.warnings.length) run.facts['sweep.warnings'] = sweep.warnings.join('; ');
    if (engine && !can.engine) {
      const able = ids().filter((id) => PROVIDERS[id].capabilities.engine);
      run.unavailable = [
        ...(run.unavailable ?? []),
        {
          what: 'engine',
          remedy: `the ${provider.id} provider starts no engine; use --provider ${able.join(' or ')}`,
        },
      ];
    }
  } catch (err) {
    await teardown.run();
    await releaseOwner();
    throw err;
  }
  // A kept topology outlives this process: from here on neither disposal nor a signal removes it.
  if (options.keep && provider.capabilities.keep) teardown.retain();
  const down = async () => {
    const errors = await teardown.run();
    await releaseOwner();
    if (errors.length)
      throw new TeardownError(
        `run ${runId}`,
        new AggregateError(errors, errors.map((e) => e.message).join('; ')),
      );
  };
  const { release: _release, ...topology } = run;
  return {
    ...topology,
    describe: () => describeTopology(topology),
    down,
    [Symbol.asyncDispose]: down,
  };
}

/** A kept run, reattached: what it was started for, and whether it waited for DAD. */
export interface AttachedTopology {
  topology: StartedTopology;
  startedFor?: StartedFor;
  dadAwaited: boolean;
  /** For the report: which runtime holds it (`Podman Engine 4.3.1 at unix://…`). */
  why: string;
}

/**
 * The kept run `runId`, on whichever reachable runtime holds it (only `want`'s, when a provider
 * was asked for), rebuilt without starting anything (`sixgate run --on`). Its teardown only lets
 * go of this process's probe channels: the run stays kept.
 */
export async function attachTopology(
  runId: string,
  owner?: RunOwner,
  want: ProviderChoice = 'auto',
): Promise<AttachedTopology> {
  if (want !== 'auto' && !PROVIDERS[want].capabilities.keep)
    throw new UsageError(`--on: the ${want} provider keeps no runs to attach to`);
  const at = await runtimeHolding(runId, want === 'auto' ? undefined : want);
  const { run, startedFor, dadAwaited } = await attachDocker(runId, at);
  const ownOwner = owner ? undefined : new RunOwner();
  const teardown = (owner ?? ownOwner!).scope();
  teardown.add(`let go of the probes of run ${runId}`, async () => run.release(), 'detach');
  const down = async () => {
    await teardown.run();
    if (ownOwner) await ownOwner[Symbol.asyncDispose]();
  };
  const { release: _release, ...topology } = run;
  return {
    topology: {
      ...topology,
      describe: () => describeTopology(topology),
      down,
      [Symbol.asyncDispose]: down,
    },
    ...(startedFor ? { startedFor } : {}),
    dadAwaited,
    why: `kept run ${runId} on ${at.where}`,
  };
}

export type { StartedFor } from './docker/attach.ts';
export {
  PROVIDERS,
  isProviderId,
  providerChoices,
  type ProviderChoice,
  type ProviderId,
} from './registry.ts';
export { findRuntime, identifyRuntime, runtimeClient, type FoundRuntime } from './discover.ts';
export {
  reachableRuntimes,
  runtimeWhere,
  surveyRuntimes,
  type ReachableRuntime,
  type RuntimeSurvey,
} from './runtimes.ts';
export type {
  AgentSpec,
  EngineSpec,
  NetworkMode,
  StartedHost,
  StartedTopology,
} from './contract.ts';
export { ProbeError, ProbeChannelClosedError } from '../probe/channel.ts';
