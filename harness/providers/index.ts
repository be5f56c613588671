// startTopology: picks a provider, registers the topology's teardown with the process's run
// owner (one signal handler for every topology), and turns a provider's run into a disposable
// StartedTopology.
import { existsSync } from 'node:fs';
import { RunOwner, TeardownError } from '../lifecycle/index.ts';
import { newRunId } from '../topology/index.ts';
import type { AgentSpec, EngineSpec, NetworkMode, StartedTopology } from './contract.ts';
import { describeTopology } from './describe.ts';
import { DEFAULT_DOCKER_SOCKET } from './docker/client.ts';
import { startDocker, type ProviderRun } from './docker/index.ts';
import { startLocal } from './local/index.ts';

export interface TopologyOptions {
  mode: NetworkMode;
  agents: AgentSpec[];
  /**
   * Run the engine under test as a container of the run (`hosts.get('engine')`, `engine` on the
   * result): `true` for the reference engine on port 8443. Docker only; the local provider lists
   * it as unavailable.
   */
  engine?: boolean | EngineSpec;
  /** Docker only: the reference engine too, as the control arm of a vendor's engine. */
  controlEngine?: boolean;
  /** `auto` uses Docker when a daemon answers, else the local provider. @default 'auto' */
  provider?: 'docker' | 'local' | 'auto';
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
}

/** Where a user has told the machine a Docker daemon lives: DOCKER_HOST or the default socket. */
export function dockerConfigured(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DOCKER_HOST) return `DOCKER_HOST=${env.DOCKER_HOST}`;
  return existsSync(DEFAULT_DOCKER_SOCKET) ? DEFAULT_DOCKER_SOCKET : undefined;
}

/**
 * `auto` is Docker wherever one is configured — one that does not answer is an environment
 * error, never a quiet switch to a smaller run — and the local provider only where none is.
 */
export async function pickProvider(
  p: TopologyOptions['provider'],
): Promise<{ provider: 'docker' | 'local'; why: string }> {
  if (p === 'docker' || p === 'local') return { provider: p, why: `--provider ${p}` };
  const configured = dockerConfigured();
  if (configured) return { provider: 'docker', why: `Docker configured (${configured})` };
  return {
    provider: 'local',
    why: `no Docker configured (no DOCKER_HOST, no ${DEFAULT_DOCKER_SOCKET}): falling back to the local provider`,
  };
}

export async function startTopology(options: TopologyOptions): Promise<StartedTopology> {
  const { provider } = await pickProvider(options.provider);
  const runId = options.runId ?? newRunId();
  const ownOwner = options.owner ? undefined : new RunOwner();
  const owner = options.owner ?? ownOwner!;
  const teardown = owner.scope();
  const releaseOwner = async () => {
    if (ownOwner) await ownOwner[Symbol.asyncDispose]();
  };
  let run: ProviderRun & { release(): void };
  try {
    const engine = options.engine === true ? {} : options.engine || undefined;
    const args = { runId, mode: options.mode, agents: options.agents, teardown };
    run =
      provider === 'docker'
        ? await startDocker({
            ...args,
            engine,
            ...(options.controlEngine && engine ? { controlEngine: {} } : {}),
            ...(options.keep ? { keptAt: new Date() } : {}),
          })
        : await startLocal(args);
    if (engine && provider === 'local') {
      run.unavailable = [
        ...(run.unavailable ?? []),
        { what: 'engine', remedy: 'an engine container needs Docker; use --provider docker' },
      ];
    }
  } catch (err) {
    await teardown.run();
    await releaseOwner();
    throw err;
  }
  // A kept topology outlives this process: from here on neither disposal nor a signal removes it.
  if (options.keep && provider === 'docker') teardown.retain();
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

export type {
  AgentSpec,
  EngineSpec,
  NetworkMode,
  StartedHost,
  StartedTopology,
} from './contract.ts';
export { ProbeError, ProbeChannelClosedError } from '../probe/channel.ts';
