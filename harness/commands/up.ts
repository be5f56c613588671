// `sixgate up`: starts a kept topology for the selected cells (only the hosts, engine and DAD
// wait they need), prints its id, how to reach it and the next commands; `sixgate run --on ID`
// then runs cells against it in well under a second. With --watch it stays, reruns the cells
// when a watched file changes, and ends on Ctrl-C leaving the run kept. Interrupted while
// starting, it leaves nothing behind (the run owner tears down what it registered).
import { watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { invocation, shellQuote } from '../cli/invocation.ts';
import { describeError, NoDockerError, UsageError } from '../errors/index.ts';
import { agentsFor, needsOf, startedFor } from '../job/needs.ts';
import { chooseTarget, MODES, runJob, selectCells } from '../job/index.ts';
import { RunOwner } from '../lifecycle/index.ts';
import type { Target } from '../matrix/index.ts';
import { buildProfileImages, profileTarget, type Profile } from '../profile/index.ts';
import type { NetworkMode, StartedTopology } from '../providers/contract.ts';
import { removeRunById } from '../providers/docker/cleanup.ts';
import { clientFor, dockerFacts } from '../providers/docker/client.ts';
import {
  pickProvider,
  PROVIDERS,
  providerChoices,
  startTopology,
  type ProviderChoice,
} from '../providers/index.ts';
import { newRunId } from '../topology/index.ts';
import { selfCheckTls } from '../tls/index.ts';
import { summarize } from '../report/summary.ts';

/** Changes closer together than this are one change (an editor writes a file in several steps). */
const DEBOUNCE_MS = 300;
const MAX_WATCHED = 64;
/** Only a provider whose runs outlive their process can start one here. */
const PROVIDER_CHOICES = providerChoices({ keep: true });

interface Started {
  topology: StartedTopology;
  mode: NetworkMode;
}

const up: Command = {
  summary:
    'Start a kept topology for the selected cells; `sixgate run --on RUN-ID` runs cells against it.',
  usage: `sixgate up [--provider ${PROVIDER_CHOICES.join('|')}] [--mode dual-stack|ipv6-only|both] [--target NAME | --profile FILE] [--cell ID|GLOB]... [--watch [--watch-file PATH]...]`,
  details: () =>
    [
      'options:',
      '  --provider P      the runtime the run is kept on; auto (default): the one `run` would use',
      '  --mode M          dual-stack (default), ipv6-only, or both: two kept runs, one per mode',
      '  --cell ID|GLOB    start only what these cells need (agent hosts, engine, DAD wait);',
      '                    no --cell starts every host. `run --on` refuses cells the run lacks hosts for',
      '  --watch           stay: run the cells now and again whenever a watched file changes;',
      "                    watched: the profile's build contexts and every --watch-file. A build",
      '                    context change rebuilds the image and replaces the run (new id: the',
      "                    agent's containers must be made again from the new image); any other",
      '                    change reruns the cells on the same run. Ctrl-C ends it; the run stays kept',
      '',
      'exit codes: 0 started (and, with --watch, ended by Ctrl-C: 130) · 2 usage or profile ·',
      '  3 environment not ready',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('up', argv, {
      provider: { type: 'string', default: 'auto' },
      mode: { type: 'string', default: 'dual-stack' },
      target: { type: 'string' },
      profile: { type: 'string' },
      cell: { type: 'string', multiple: true },
      watch: { type: 'boolean', default: false },
      'watch-file': { type: 'string', multiple: true },
    });
    if (positionals.length)
      throw new UsageError(`sixgate up takes no arguments; got '${positionals[0]}'`);
    const modes = MODES[values.mode];
    if (!modes)
      throw new UsageError(
        `--mode must be one of ${Object.keys(MODES).join(', ')}; got '${values.mode}'`,
      );
    if (!PROVIDER_CHOICES.includes(values.provider as ProviderChoice))
      throw new UsageError(
        `--provider must be one of ${PROVIDER_CHOICES.join(', ')}; got '${values.provider}'`,
      );
    const watchFiles = (values['watch-file'] ?? []).map((f) => resolve(f));
    if (watchFiles.length && !values.watch) throw new UsageError('--watch-file goes with --watch');
    if (watchFiles.length > MAX_WATCHED)
      throw new UsageError(`--watch-file: at most ${MAX_WATCHED} files`);
    const cells = values.cell ?? [];
    const selection = selectCells(cells);
    // The runtime check `run` makes is made here, once, for every `run --on` against this run.
    await selfCheckTls();
    const { profile, named } = chooseTarget(values);
    const contexts = profile ? buildContexts(profile, values.profile!) : [];

    await using owner = new RunOwner();
    const picked = await owner.race(pickProvider(values.provider as ProviderChoice));
    const provider = picked.provider;
    if (!picked.runtime || !PROVIDERS[provider].capabilities.keep)
      throw new NoDockerError(new Error(picked.fallback ? 'none found' : picked.why), {
        what: picked.fallback ? 'container runtime' : `${PROVIDERS[provider].title} runtime`,
        hint: 'a kept run lives on a container runtime: start one, or set DOCKER_HOST',
      });
    const docker = clientFor(picked.runtime.endpoint);
    await owner.race(dockerFacts(docker));
    const control = profile !== undefined;
    const needs = needsOf(selection);
    /**
     * Starts the kept runs. Until they are printed they are not the user's yet: a signal before
     * then removes them too (a kept topology is left alone by its own teardown once started).
     */
    const startRuns = async (): Promise<{ started: Started[]; handOver(): void }> => {
      const guard = owner.scope();
      const target: Target = profile
        ? profileTarget(await owner.race(buildProfileImages(docker, profile, values.profile!)))
        : named!;
      const settled = await Promise.allSettled(
        modes.map(async (mode) => {
          // Registered before anything of it exists, so no moment is left uncovered.
          const runId = newRunId();
          guard.add(`remove run ${runId}`, () => removeRunById(docker, runId));
          const topology = await startTopology({
            runId,
            mode,
            agents: agentsFor(target, needs.roles, control),
            provider,
            keep: true,
            engine: needs.engine && (target.engine ?? true),
            controlEngine: control && needs.engine,
            needs: { dad: needs.dad },
            startedFor: startedFor(target, control, cells),
            owner,
          });
          return { mode, topology };
        }),
      );
      const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const failed = settled.find((s) => s.status === 'rejected');
      // One mode started, the other did not: the guard removes the started one too.
      if (failed) throw failed.reason;
      // The runs stay kept: this only lets go of the probes.
      await Promise.all(ok.map((s) => s.topology.down()));
      return { started: ok, handOver: () => guard.retain() };
    };
    const show = (started: Started[]) => {
      for (const { topology } of started) io.stdout(`${topology.describe()}\n`);
      io.stdout(nextCommands(started, cells));
    };
    const first = await startRuns();
    let runs = first.started;
    show(runs);
    first.handOver();
    if (!values.watch) return 0;

    const runCells = async (why: string) => {
      for (const { topology } of runs) {
        io.stdout(`\nsixgate up: ${why}: running the cells on run ${topology.runId}\n`);
        const outcome = await runJob(
          { provider, modes: [topology.mode], cells, on: topology.runId },
          io,
        );
        io.stdout(summarize(outcome.report.results));
        if (outcome.fatal) io.stderr(`${describeError(outcome.fatal)}\n`);
        if (outcome.interrupted) return false;
      }
      return true;
    };
    if (!(await runCells('started'))) return 130;
    const watched = [...contexts, ...watchFiles];
    if (!watched.length) {
      io.stderr(
        'sixgate up: --watch with nothing to watch: give --watch-file PATH or a profile with a build context\n',
      );
      return 2;
    }
    io.stdout(`\nsixgate up: watching ${watched.join(', ')} (Ctrl-C ends; the run stays kept)\n`);
    // Changes arrive while a rerun is going: remembered, and one more rerun follows.
    let pending: string | undefined;
    let busy = false;
    let timer: NodeJS.Timeout | undefined;
    const inContext = (path: string) =>
      contexts.some((c) => path === c || path.startsWith(`${c}/`));
    const onChange = (path: string) => {
      pending = inContext(path) ? path : (pending ?? path);
      clearTimeout(timer);
      timer = setTimeout(drain, DEBOUNCE_MS);
    };
    /** One rerun; what goes wrong is said, and the watch goes on. */
    const rerun = async (path: string) => {
      try {
        if (inContext(path)) {
          io.stdout(`\nsixgate up: ${path} changed: rebuilding and replacing the run\n`);
          const old = runs;
          const next = await startRuns();
          runs = next.started;
          await Promise.all(old.map((s) => removeRunById(docker, s.topology.runId)));
          show(runs);
          next.handOver();
        }
        await runCells(`${path} changed`);
      } catch (err) {
        io.stderr(`${describeError(err)}\n`);
      }
    };
    function drain(): void {
      if (busy || pending === undefined) return;
      busy = true;
      const path = pending;
      pending = undefined;
      const next = () => {
        busy = false;
        drain();
      };
      rerun(path).then(next, next);
    }
    const watchers: FSWatcher[] = [];
    try {
      for (const path of watched) {
        const recursive = contexts.includes(path);
        watchers.push(
          watch(path, { recursive }, (_event, name) =>
            onChange(recursive && name ? resolve(path, name.toString()) : path),
          ),
        );
      }
      // Until a signal: the run owner's handler ends the process by it, leaving the run kept.
      await owner.race(new Promise<never>(() => undefined));
    } finally {
      for (const w of watchers) w.close();
      clearTimeout(timer);
    }
    return 0;
  },
};

/** Each build context, absolute (relative to the profile file, as the profile means it). */
function buildContexts(profile: Profile, file: string): string[] {
  return [profile.agent?.build, profile.engine?.build].flatMap((b) =>
    b ? [resolve(dirname(file), b)] : [],
  );
}

function nextCommands(runs: Started[], cells: string[]): string {
  const sixgate = invocation();
  const cellArgs = cells.flatMap((c) => ['--cell', c]);
  return [
    '',
    'next:',
    ...runs.map(
      ({ topology }) =>
        `  ${[sixgate, ...['run', '--on', topology.runId, ...cellArgs].map(shellQuote)].join(' ')}${cells.length ? '' : ' --cell ID'}`,
    ),
    ...runs.map(({ topology }) => `  ${sixgate} down ${topology.runId}`),
    '',
  ].join('\n');
}

export default up;
