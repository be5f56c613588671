// startTopology: picks a provider, owns teardown (reverse order; on failure, SIGINT, SIGTERM)
// and turns a provider's run into a disposable StartedTopology.
import { NoDockerError } from '../errors/index.ts';
import { newRunId } from '../topology/index.ts';
import type { AgentSpec, EngineSpec, NetworkMode, StartedTopology } from './contract.ts';
import { describeTopology } from './describe.ts';
import { dockerClient, dockerFacts } from './docker/client.ts';
import { startDocker, type ProviderRun } from './docker/index.ts';
import { startLocal } from './local/index.ts';
import { Teardown } from './teardown.ts';

export interface TopologyOptions {
  mode: NetworkMode;
  agents: AgentSpec[];
  /**
   * Run the engine under test as a container of the run (`hosts.get('engine')`, `engine` on the
   * result): `true` for the reference engine on port 8443. Docker only; the local provider lists
   * it as unavailable.
   */
  engine?: boolean | EngineSpec;
  /** `auto` uses Docker when a daemon answers, else the local provider. @default 'auto' */
  provider?: 'docker' | 'local' | 'auto';
  /** Leave everything up when disposed (not on a failed start); `sixgate down <run-id>` removes it. */
  keep?: boolean;
  /** @default 8 random hex digits */
  runId?: string;
}

export async function pickProvider(p: TopologyOptions['provider']): Promise<'docker' | 'local'> {
  if (p === 'docker' || p === 'local') return p;
  try {
    await dockerFacts(dockerClient());
    return 'docker';
  } catch (err) {
    if (err instanceof NoDockerError) return 'local';
    throw err;
  }
}

/** Runs the teardown on SIGINT/SIGTERM, then lets the signal end the process as it would have. */
function onSignals(teardown: Teardown): () => void {
  const handler = (signal: NodeJS.Signals) => {
    remove();
    void teardown.run().finally(() => process.kill(process.pid, signal));
  };
  const remove = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return remove;
}

export async function startTopology(options: TopologyOptions): Promise<StartedTopology> {
  const provider = await pickProvider(options.provider);
  const runId = options.runId ?? newRunId();
  const teardown = new Teardown();
  const removeSignals = onSignals(teardown);
  let run: ProviderRun & { release(): void };
  try {
    const engine = options.engine === true ? {} : options.engine || undefined;
    const args = { runId, mode: options.mode, agents: options.agents, teardown };
    run = provider === 'docker' ? await startDocker({ ...args, engine }) : await startLocal(args);
    if (engine && provider === 'local') {
      run.unavailable = [
        ...(run.unavailable ?? []),
        { what: 'engine', remedy: 'an engine container needs Docker; use --provider docker' },
      ];
    }
  } catch (err) {
    removeSignals();
    await teardown.run();
    throw err;
  }
  const down = async () => {
    removeSignals();
    const errors = await teardown.run();
    if (errors.length)
      throw new AggregateError(errors, `teardown of run ${runId} left ${errors.length} error(s)`);
  };
  // A kept topology outlives this process: its signals must not tear it down.
  if (options.keep) removeSignals();
  const { release: _release, ...topology } = run;
  return {
    ...topology,
    describe: () => describeTopology(topology),
    down,
    [Symbol.asyncDispose]: async () => (options.keep ? run.release() : down()),
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
