// The run core shared by `sixgate run`, `certify` and the benches: checks what the user asked
// for, sweeps dead runs once, starts a topology per network mode under one run owner, runs the
// matrix, the engine cells and the corpus, and returns one RunReport — also when a signal cut
// the run short, with the rest marked interrupted. Where the report goes is the caller's.
import type { Io } from '../cli/command.ts';
import { sixgateVersion } from '../cli/version.ts';
import { ENGINE_CELLS, runEngineChecks } from '../engine-checks/index.ts';
import {
  ConfigError,
  describeError,
  InterruptedError,
  SixgateError,
  UsageError,
} from '../errors/index.ts';
import { RunOwner, tracePhase } from '../lifecycle/index.ts';
import {
  agentSpecsFor,
  blameEnvironment,
  type CellResult,
  controlProperties,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  runControl,
  runMatrixWithControl,
  type Target,
  targetByName,
  unrunCells,
} from '../matrix/index.ts';
import { buildProfileImages, loadProfile, profileTarget, type Profile } from '../profile/index.ts';
import { NETWORK_MODES, type NetworkMode, type StartedTopology } from '../providers/contract.ts';
import {
  PROVIDERS,
  pickProvider,
  runtimeClient,
  startTopology,
  type ProviderChoice,
  type ProviderId,
} from '../providers/index.ts';
import type { RunReport } from '../report/contract.ts';
import { clip, escapeControls } from '../text/quote.ts';
import { selfCheckTls } from '../tls/index.ts';
import { engineStartFailures, plannedFor, type Planned } from './plan.ts';
import { selectCells, type Shard } from './select.ts';
import { rerunCommand } from './repro.ts';
import { needsOf, onKeptRun, startedFor } from './needs.ts';

export { parseShard, selectCells, engineCorpusIds, type Shard, type Selection } from './select.ts';

const ALL_MODES = Object.keys(NETWORK_MODES) as NetworkMode[];
/** What `--mode` accepts: each mode by its id, and `both` for all of them. */
export const MODES: Record<string, NetworkMode[]> = {
  ...Object.fromEntries(ALL_MODES.map((m) => [m, [m]])),
  both: ALL_MODES,
};

export type { ProviderChoice } from '../providers/index.ts';

export interface JobOptions {
  provider: ProviderChoice;
  modes: NetworkMode[];
  /** A built-in target's name; or `profile`. @default the reference target */
  target?: string;
  /** A vendor profile file. */
  profile?: string;
  /** `--cell` ids and globs; empty = every cell and the corpus. */
  cells?: string[];
  shard?: Shard;
  keep?: boolean;
  /** A kept run's id (`run --on`): run against it, starting nothing; it fixes mode and target. */
  on?: string;
  /** The control arm beside the target. @default on for a profile */
  control?: boolean;
  /** Capture every container's log (bounded) before teardown: certify's bundle. */
  collectLogs?: boolean;
  /** Called with each topology before it is torn down (certify reads image ids here). */
  beforeTeardown?: (topology: StartedTopology) => Promise<void>;
}

export interface JobHooks {
  /** How many results the run owes, before anything starts. */
  onPlan?(total: number): void;
  onPhase?(mode: NetworkMode): void;
  onResult?(result: CellResult): void;
}

export interface JobOutcome {
  report: RunReport;
  /** What went wrong outside the cells (a topology that did not start), if anything. */
  fatal?: unknown;
  interrupted?: InterruptedError;
  /** Why `auto` fell back to the local provider. */
  fallback?: string;
  /** The provider the run was on, once chosen (or the kept run's, with `on`). */
  provider?: ProviderId;
  /** Container logs by `<mode>/<host>`, when `collectLogs`. */
  logs: Map<string, string>;
}

/** A profile's build contexts become images; building needs Docker. */
async function profileImages(profile: Profile, file: string, provider: ProviderId) {
  if (PROVIDERS[provider].capabilities.imageBuild)
    return buildProfileImages(await runtimeClient(provider), profile, file);
  const field = profile.agent?.build ? 'agent.build' : profile.engine?.build ? 'engine.build' : '';
  if (field)
    throw new ConfigError(file, field, 'needs a provider that builds images (docker, podman)');
  return profile;
}

const LOG_LINES = 2000;

/**
 * The target the user named: a built-in one, or a profile (loaded and checked). Both named, or a
 * profile that takes the control arm's name, is exit 2 before anything starts.
 */
export function chooseTarget(options: { target?: string; profile?: string }) {
  if (options.target !== undefined && options.profile !== undefined) {
    throw new UsageError('--target and --profile name the target twice; give one');
  }
  const profile = options.profile === undefined ? undefined : loadProfile(options.profile);
  if (profile?.name === REFERENCE_TARGET.name) {
    throw new ConfigError(
      options.profile!,
      'name',
      `must not be '${REFERENCE_TARGET.name}': that is the control arm's name`,
      { hint: 'see README: Certifying your own agent or engine' },
    );
  }
  const named = profile ? undefined : targetByName(options.target ?? REFERENCE_TARGET.name);
  return { profile, named };
}

/** Everything the user typed, checked before anything starts (exit 2 on a mistake). */
function checkOptions(options: JobOptions) {
  return { ...chooseTarget(options), picked: selectCells(options.cells, options.shard) };
}

export async function runJob(
  options: JobOptions,
  io: Io,
  hooks: JobHooks = {},
): Promise<JobOutcome> {
  let { modes } = options;
  const { profile, named, picked } = checkOptions(options);
  const { cells, engineCells, corpus } = picked;
  const startedAt = new Date();
  const results: CellResult[] = [];
  const logs = new Map<string, string>();
  const rerunArgs = [
    ...(options.provider === 'auto' ? [] : ['--provider', options.provider]),
    ...(options.profile === undefined ? [] : ['--profile', options.profile]),
  ];
  const targetArgs = [
    ...rerunArgs,
    ...(named && named !== REFERENCE_TARGET ? ['--target', named.name] : []),
  ];
  // A runtime that cannot verify an IP subject-alt-name would blame the target for its own bug:
  // exit 3, naming the Node version, before anything starts.
  // `run --on` skips it: `sixgate up` made it when it started the kept run, and a rerun must
  // cost well under a second.
  if (options.on === undefined) await selfCheckTls();
  // One owner for every resource of this process: one signal handler, one teardown.
  await using owner = new RunOwner({ reports: true });
  const attached =
    options.on === undefined
      ? undefined
      : await onKeptRun(options.on, { ...options, selection: picked, owner });
  if (attached) modes = [attached.topology.mode];
  const properties: Record<string, string> = {
    'run.sixgate': sixgateVersion(),
    'run.node': process.version,
  };
  let target: Target = attached?.target ?? named ?? { name: profile!.name };
  // A vendor's profile is run beside the reference target, so the environment is not blamed on it.
  const control = attached?.control ?? options.control ?? profile !== undefined;
  const cellIds = new Set(cells.map((c) => c.id));
  const planned = new Map(modes.map((m) => [m, plannedFor(m, picked, m === modes[0])] as const));
  hooks.onPlan?.([...planned.values()].reduce((n, p) => n + p.length, 0));
  // Every result is recorded here, so a progress view sees it as it lands.
  const record = (...rs: CellResult[]) => {
    for (const r of rs) hooks.onResult?.(r);
    results.push(...rs);
  };
  let provider: ProviderId = 'docker';
  const can = () => PROVIDERS[provider].capabilities;
  let fallback: string | undefined;

  // A topology that cannot start is a harness error for each of its cells: CI still gets a
  // report that says so, and the exit code says why (3: environment not ready).
  const runMode = async (mode: NetworkMode): Promise<unknown> => {
    let topology: StartedTopology;
    const owed = planned.get(mode)!;
    try {
      const roles = [...new Set([...rolesOf(cells), ...engineCells.flatMap((c) => c.roles)])];
      const engineWork = engineCells.length > 0 || (corpus.size > 0 && mode === modes[0]);
      topology =
        attached?.topology ??
        (await startTopology({
          mode,
          agents: [
            ...agentSpecsFor(target, roles),
            // The control arm: the reference agents on the same network, called by the same client.
            ...(control && can().engine ? agentSpecsFor(REFERENCE_TARGET, roles) : []),
          ],
          provider,
          keep: options.keep ?? false,
          engine: can().engine && engineWork && (target.engine ?? true),
          // Peer cells run from the engine's host, and from the peer when the engine did not
          // start (a vendor's that died): a run with a peer cell always has one.
          needs: { dad: needsOf(picked).dad, peer: needsOf(picked).peer },
          startedFor: startedFor(target, control, options.cells),
          controlEngine: control && engineWork,
          owner,
        }));
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      const why =
        err instanceof SixgateError && err.hint
          ? `${err.message} (${err.hint})`
          : String((err as Error).message ?? err);
      record(...unrunCells(owed, { mode, target }, why));
      return err;
    }
    try {
      for (const [k, v] of Object.entries(topology.facts)) properties[`${mode}.${k}`] = String(v);
      properties[`${mode}.provider`] = topology.provider;
      if (topology.ipv6OnlyMethod) properties[`${mode}.ipv6-only-method`] = topology.ipv6OnlyMethod;
      tracePhase('cells', mode);
      hooks.onPhase?.(mode);
      const onResult = (r: CellResult) => record(r);
      const matrixOptions = { target, cells, rerunArgs, onResult, signal: owner.signal };
      if (control && can().engine) {
        const arm = await runMatrixWithControl(topology, matrixOptions);
        Object.assign(properties, controlProperties(mode, 'matrix', arm.control));
      } else await runMatrix(topology, matrixOptions);
      if (!topology.engine && !topology.failed?.has('engine')) {
        // No engine on this provider: every engine result is owed, as a skip with the reason.
        const done = new Set(results.filter((r) => r.mode === mode).map((r) => r.id));
        const rest = owed.filter((p) => !done.has(p.id) && !cellIds.has(p.id));
        record(
          ...unrunCells(rest, { mode, target }, '').map((r) => ({
            ...r,
            status: 'skipped' as const,
            message: `the ${topology.provider} provider starts no engine; use --provider docker or podman`,
            ...(r.id.startsWith('corpus.') ? { group: 'corpus' } : {}),
          })),
        );
        return undefined;
      }
      const blocked = engineStartFailures(topology, target, owed, engineCells);
      record(...blocked.results);
      owner.check();
      const engineOptions = {
        cells: engineCells.filter((c) => !blocked.blocked.has(c.id)),
        // The corpus does not depend on the network mode: once per run is enough.
        corpus: mode === modes[0] && !blocked.corpusBlocked ? corpus : new Set<string>(),
        rerunArgs,
      };
      // The engine's control arm: the reference engine against the reference agents, first.
      const engineArm = topology.controlEngine
        ? await runControl(engineOptions.cells, (only) =>
            runEngineChecks(
              { ...topology, engine: topology.controlEngine },
              // The corpus has no control: the reference engine's verdicts are its fixtures.
              {
                ...engineOptions,
                cells: only,
                corpus: new Set<string>(),
                target: REFERENCE_TARGET,
              },
            ),
          )
        : undefined;
      const notPassed = engineArm?.notPassed ?? new Map<string, CellResult>();
      if (engineArm) Object.assign(properties, controlProperties(mode, 'engine', engineArm));
      const mine = await runEngineChecks(topology, { ...engineOptions, target });
      record(...mine.map((r) => blameEnvironment(r, notPassed.get(r.id))));
    } finally {
      // A kept run says how to reach it, whichever way its cells ended.
      if (options.keep) io.stdout(`${topology.describe()}\n`);
      if (options.collectLogs) await collectLogs(topology, logs);
      await options.beforeTeardown?.(topology).catch((err: unknown) => {
        io.stderr(`sixgate: warning: ${escapeControls(clip(describeError(err), 2048))}\n`);
      });
      tracePhase('teardown', mode);
      // With --keep this only lets go of the probes; the containers stay up. What teardown
      // could not remove is said, and left to the next run's sweep: the results stand.
      await topology.down().catch((err: unknown) => {
        properties[`${mode}.teardown.warnings`] = (err as Error).message;
        io.stderr(`sixgate: warning: ${escapeControls(clip((err as Error).message, 2048))}\n`);
      });
    }
    return undefined;
  };

  const failures: unknown[] = [];
  let interrupted: InterruptedError | undefined;
  try {
    // A kept run is on the runtime that holds it, whatever `auto` would pick now.
    const chosen = attached
      ? { provider: attached.topology.provider, why: attached.why, fallback: false }
      : await owner.race(pickProvider(options.provider));
    provider = chosen.provider;
    properties['run.provider'] = `${provider} (${chosen.why})`;
    if (chosen.fallback) {
      fallback = chosen.why;
      io.stderr(
        `${'='.repeat(72)}\nsixgate: ${chosen.why}.\nThe engine cells and the corpus need Docker or Podman: they are reported as skipped.\n${'='.repeat(72)}\n`,
      );
    } else if (options.provider === 'auto') io.stderr(`sixgate: provider ${provider}\n`);
    if (profile)
      target = profileTarget(await owner.race(profileImages(profile, options.profile!, provider)));
    properties['run.target'] = target.name;
    // Topologies in namespaces of their own share nothing, so the modes run side by side; local
    // agents share the host's ports, so there they take turns.
    if (can().namespaces) failures.push(...(await owner.race(Promise.all(modes.map(runMode)))));
    else for (const mode of modes) failures.push(await owner.race(runMode(mode)));
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    interrupted = err;
  }
  const report = [...results];
  if (interrupted) {
    properties['run.interrupted'] = interrupted.signal;
    for (const mode of modes) {
      const done = new Set(report.filter((r) => r.mode === mode).map((r) => r.id));
      const unrun = planned.get(mode)!.filter((p: Planned) => !done.has(p.id));
      report.push(
        ...unrunCells(unrun, { mode, target }, '').map((r) => ({
          ...r,
          message: `interrupted by ${interrupted.signal} before this cell finished`,
          ...(r.id.startsWith('corpus.') ? { group: 'corpus' } : {}),
        })),
      );
    }
  }
  properties['run.target'] ??= target.name;
  for (const mode of modes) {
    const warnings = properties[`${mode}.sweep.warnings`];
    if (warnings) io.stderr(`sixgate: warning: leftovers of dead runs not removed: ${warnings}\n`);
  }
  for (const r of report) {
    if (r.group) continue;
    r.repro = [rerunCommand(r, targetArgs), ...r.repro.filter((c) => !/^sixgate run /.test(c))];
  }
  // Matrix cells, then engine cells, in their table order; the corpus after them as loaded.
  const order = new Map([...cells, ...ENGINE_CELLS].map((c, i) => [c.id, i]));
  const rank = (id: string) => order.get(id) ?? order.size;
  report.sort((a, b) => a.mode.localeCompare(b.mode) || rank(a.id) - rank(b.id));
  return {
    report: {
      results: report,
      properties,
      startedAt,
      endedAt: new Date(),
      selection: {
        modes,
        cells: options.cells ?? [],
        ...(options.shard ? { shard: options.shard } : {}),
        corpus: corpus.size > 0,
      },
    },
    fatal: failures.find((f) => f !== undefined),
    ...(interrupted ? { interrupted } : {}),
    ...(fallback ? { fallback } : {}),
    ...(properties['run.provider'] ? { provider } : {}),
    logs,
  };
}

/** Each container's log tail, read before teardown removes it; a host that cannot say is noted. */
async function collectLogs(topology: StartedTopology, into: Map<string, string>): Promise<void> {
  await Promise.all(
    [...topology.hosts.values()].map(async (h) => {
      const text = await h
        .logs(LOG_LINES)
        .catch((err: unknown) => `(no log: ${(err as Error).message})`);
      into.set(`${topology.mode}/${h.name}`, text);
    }),
  );
}

/**
 * `sixgate run`'s exit code for an outcome: the signal's, the environment's, a failed cell's;
 * under `strict` (and in CI) a fallback or a skip is an environment that is not ready (3).
 */
export function exitCodeOf(outcome: JobOutcome, strict: boolean, io: Io, why = '--strict'): number {
  const { report, fatal, interrupted, fallback } = outcome;
  if (interrupted) {
    const done = report.results.filter((r) => !/^interrupted by /.test(r.message ?? '')).length;
    io.stderr(
      `sixgate: interrupted by ${interrupted.signal}: ${done} of ${report.results.length} results finished; the rest are reported as interrupted\n`,
    );
    return interrupted.exitCode;
  }
  if (fatal !== undefined) {
    io.stderr(`${escapeControls(clip(describeError(fatal), 16 * 1024), 'keep')}\n`);
    return fatal instanceof SixgateError ? fatal.exitCode : 1;
  }
  const skipped = report.results.filter((r) => r.status === 'skipped').length;
  if (strict && (fallback || skipped)) {
    io.stderr(
      `sixgate: ${why}: ${[fallback, skipped && `${skipped} result(s) skipped`].filter(Boolean).join('; ')}; not a pass (exit 3)\n`,
    );
    return 3;
  }
  return report.results.some((r) => r.status === 'failed' || r.status === 'error') ? 1 : 0;
}
