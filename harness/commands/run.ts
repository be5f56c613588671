// `sixgate run`: the whole job. Checks everything the user typed, sweeps dead runs once, starts a
// topology per network mode under one run owner, runs the matrix, the engine cells and the corpus,
// and writes the reports — also when a signal cut the run short, with the rest marked interrupted.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadCorpus } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { invocation, shellQuote } from '../cli/invocation.ts';
import { didYouMean, globToRegExp, isGlob } from '../cli/suggest.ts';
import { sixgateVersion } from '../cli/version.ts';
import {
  ConfigError,
  describeError,
  InterruptedError,
  SixgateError,
  UsageError,
} from '../errors/index.ts';
import { RunOwner, tracePhase } from '../lifecycle/index.ts';
import {
  agentKey,
  agentSpecsFor,
  type AgentRole,
  CELLS,
  type CellResult,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  runMatrixWithControl,
  blameEnvironment,
  TARGETS,
  targetByName,
  type Target,
  unrunCells,
} from '../matrix/index.ts';
import { describeExpectation } from '../matrix/check.ts';
import type { NetworkMode, StartedTopology } from '../providers/contract.ts';
import { ENGINE_CELLS, runEngineChecks } from '../engine-checks/index.ts';
import { buildProfileImages, loadProfile, profileTarget, type Profile } from '../profile/index.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { pickProvider, startTopology } from '../providers/index.ts';
import { toHtml } from '../report/html.ts';
import { Progress } from '../report/progress.ts';
import { clip, escapeControls } from '../text/quote.ts';
import { selfCheckTls } from '../tls/index.ts';
import { toJunit } from '../report/junit.ts';
import { summarize } from '../report/summary.ts';

const MODES: Record<string, NetworkMode[]> = {
  'dual-stack': ['dual-stack'],
  'ipv6-only': ['ipv6-only'],
  both: ['dual-stack', 'ipv6-only'],
};

/**
 * `--cell` takes matrix and engine cell ids, or globs over them (`peer.ula.*`); no `--cell` runs
 * everything, the corpus included.
 */
function pickCells(patterns: string[] | undefined) {
  if (!patterns?.length) return { cells: CELLS, engineCells: ENGINE_CELLS, corpus: true };
  const known = [...CELLS, ...ENGINE_CELLS].map((c) => c.id);
  const wanted = new Set<string>();
  for (const p of patterns) {
    const hits = isGlob(p)
      ? known.filter((id) => globToRegExp(p).test(id))
      : known.filter((id) => id === p);
    if (!hits.length) {
      throw new UsageError(
        `--cell: no cell ${isGlob(p) ? 'matches' : 'named'} '${p}'${didYouMean(p, known)}`,
        {
          hint: `'sixgate matrix' lists the cells; globs work too, e.g. --cell 'peer.ula.*'`,
        },
      );
    }
    for (const h of hits) wanted.add(h);
  }
  return {
    cells: CELLS.filter((c) => wanted.has(c.id)),
    engineCells: ENGINE_CELLS.filter((c) => wanted.has(c.id)),
    corpus: false,
  };
}

/** A profile's build contexts become images; building needs Docker. */
async function profileImages(profile: Profile, file: string, provider: 'docker' | 'local') {
  if (provider === 'docker') return buildProfileImages(dockerClient(), profile, file);
  const field = profile.agent?.build ? 'agent.build' : profile.engine?.build ? 'engine.build' : '';
  if (field) throw new ConfigError(file, field, 'needs the docker provider to build');
  return profile;
}

/** Engine cells add hosts on the `::` agent and the IPv4-only one. */
const ENGINE_ROLES: AgentRole[] = [...new Set(ENGINE_CELLS.flatMap((c) => c.roles))];

interface Planned {
  id: string;
  title: string;
  source: string;
  expected: string;
}

/** Every result the run owes, per mode: what an interrupted or unstartable run reports as unrun. */
function plannedFor(
  mode: NetworkMode,
  picked: ReturnType<typeof pickCells>,
  withCorpus: boolean,
): Planned[] {
  return [
    ...picked.cells.map((c) => ({ ...c, expected: describeExpectation(c.expect(mode)) })),
    ...picked.engineCells.map((c) => ({ ...c, expected: c.expected(mode) })),
    ...(withCorpus
      ? loadCorpus()
          .filter((c) => isEngineField(c.field))
          .map((c) => ({
            id: `corpus.${c.id}`,
            title: `${c.field} ${JSON.stringify(c.input)}`,
            source: c.source,
            expected: c.valid ? 'valid' : 'invalid',
          }))
      : []),
  ];
}

/**
 * The engine cells' own dependencies: the engine and the two agents it adds. One that did not
 * start fails those cells with its reason (the target's), and the corpus with the engine's.
 */
function engineStartFailures(
  topology: StartedTopology,
  target: Target,
  planned: Planned[],
  engineIds: Set<string>,
): { results: CellResult[]; cellsBlocked: boolean; corpusBlocked: boolean } {
  const failed = topology.failed;
  const engineWhy = failed?.get('engine');
  const agentWhy = ENGINE_ROLES.map(
    (r) =>
      failed?.get(agentKey(target, r)) &&
      `the ${r} agent did not start: ${failed.get(agentKey(target, r))}`,
  ).find(Boolean);
  const cellWhy = engineWhy ? `the engine did not start: ${engineWhy}` : agentWhy;
  const blocked = (p: Planned) =>
    engineIds.has(p.id)
      ? cellWhy
      : p.id.startsWith('corpus.') && engineWhy
        ? `the engine did not start: ${engineWhy}`
        : undefined;
  const results = planned.flatMap((p): CellResult[] => {
    const why = blocked(p);
    if (!why) return [];
    return [
      {
        ...p,
        target: target.name,
        mode: topology.mode,
        status: 'failed',
        message: why,
        durationMs: 0,
        repro: [],
        properties: {
          'cell.source': p.source,
          'cell.mode': topology.mode,
          'cell.target': target.name,
        },
        ...(p.id.startsWith('corpus.') ? { group: 'corpus' } : {}),
      },
    ];
  });
  return { results, cellsBlocked: cellWhy !== undefined, corpusBlocked: engineWhy !== undefined };
}

const run: Command = {
  summary:
    'Run the connection matrix and the engine checks against a target; write reports/junit.xml and reports/matrix.html.',
  usage:
    'sixgate run [--provider auto|docker|local] [--mode both|dual-stack|ipv6-only] [--target NAME | --profile FILE] [--cell ID|GLOB]... [--keep] [--strict] [--junit FILE] [--html FILE]',
  details: () =>
    [
      'options:',
      '  --cell ID|GLOB   a cell id from `sixgate matrix`, or a glob (peer.ula.*); repeatable',
      '  --keep           leave the topology up (labelled kept; `sixgate down RUN-ID` removes it)',
      '  --strict         any skip, or a fallback to the local provider, exits 3 (also when CI=true)',
      '',
      `targets (--target): ${TARGETS.map((t) => t.name).join(', ')}`,
      '',
      'exit codes: 0 all passed · 1 a cell failed (the target) or errored (the harness) ·',
      '  2 usage or profile error · 3 environment not ready (or --strict) · 130/143 interrupted',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', argv, {
      provider: { type: 'string', default: 'auto' },
      mode: { type: 'string', default: 'both' },
      target: { type: 'string' },
      profile: { type: 'string' },
      cell: { type: 'string', multiple: true },
      keep: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      junit: { type: 'string', default: 'reports/junit.xml' },
      html: { type: 'string', default: 'reports/matrix.html' },
    });
    if (positionals.length)
      throw new UsageError(`sixgate run takes no arguments; got '${positionals[0]}'`);
    const modes = MODES[values.mode];
    if (!modes)
      throw new UsageError(
        `--mode must be one of ${Object.keys(MODES).join(', ')}; got '${values.mode}'`,
      );
    if (!['auto', 'docker', 'local'].includes(values.provider)) {
      throw new UsageError(
        `--provider must be one of auto, docker, local; got '${values.provider}'`,
      );
    }
    if (values.target !== undefined && values.profile !== undefined) {
      throw new UsageError('--target and --profile name the target twice; give one');
    }
    // Everything the user typed is checked before anything starts.
    const profile = values.profile === undefined ? undefined : loadProfile(values.profile);
    if (profile?.name === REFERENCE_TARGET.name) {
      throw new ConfigError(
        values.profile!,
        'name',
        `must not be '${REFERENCE_TARGET.name}': that is the control arm's name`,
        {
          hint: 'see README: Certifying your own agent or engine',
        },
      );
    }
    const named = profile ? undefined : targetByName(values.target ?? REFERENCE_TARGET.name);
    const picked = pickCells(values.cell);
    const { cells, engineCells, corpus } = picked;
    const startedAt = new Date();
    const strict = values.strict || process.env.CI === 'true';
    const results: CellResult[] = [];
    const rerunArgs = [
      ...(values.provider === 'auto' ? [] : ['--provider', values.provider]),
      ...(values.profile === undefined ? [] : ['--profile', values.profile]),
    ];
    const targetArgs = [
      ...rerunArgs,
      ...(named && named !== REFERENCE_TARGET ? ['--target', named.name] : []),
    ];
    // A runtime that cannot verify an IP subject-alt-name would blame the target for its own bug:
    // exit 3, naming the Node version, before anything starts.
    await selfCheckTls();
    // One owner for every resource of this process: one signal handler, one teardown.
    await using owner = new RunOwner({ reports: true });
    const properties: Record<string, string> = {
      'run.sixgate': sixgateVersion(),
      'run.node': process.version,
    };
    let target: Target = named ?? { name: profile!.name };
    // A vendor's profile is run beside the reference target, so the environment is not blamed on it.
    const control = profile !== undefined;
    const engineIds = new Set(engineCells.map((c) => c.id));
    const cellIds = new Set(cells.map((c) => c.id));
    const planned = new Map(
      modes.map((m) => [m, plannedFor(m, picked, corpus && m === modes[0])] as const),
    );
    const progress = new Progress(
      {
        isTTY: io.isTTY === true,
        write: (t) => (io.isTTY ? io.stderr(t) : io.stdout(t)),
      },
      [...planned.values()].reduce((n, p) => n + p.length, 0),
    );
    // Every result is recorded here, so the progress view sees it as it lands.
    const record = (...rs: CellResult[]) => {
      for (const r of rs) progress.result(r);
      results.push(...rs);
    };
    let provider: 'docker' | 'local' = 'docker';
    let fallback: string | undefined;

    // A topology that cannot start is a harness error for each of its cells: CI still gets a
    // JUnit file that says so, and the exit code says why (3: environment not ready).
    const runMode = async (mode: NetworkMode): Promise<unknown> => {
      let topology;
      try {
        const roles = [
          ...new Set([...rolesOf(cells), ...(engineCells.length ? ENGINE_ROLES : [])]),
        ];
        topology = await startTopology({
          mode,
          agents: [
            ...agentSpecsFor(target, roles),
            // The control arm: the reference agents on the same network, called by the same client.
            ...(control && provider === 'docker' ? agentSpecsFor(REFERENCE_TARGET, roles) : []),
          ],
          provider,
          keep: values.keep,
          engine: provider === 'docker' && (target.engine ?? true),
          controlEngine: control && engineCells.length + (corpus ? 1 : 0) > 0,
          owner,
        });
      } catch (err) {
        if (err instanceof InterruptedError) throw err;
        const why =
          err instanceof SixgateError && err.hint
            ? `${err.message} (${err.hint})`
            : String((err as Error).message ?? err);
        record(...unrunCells(planned.get(mode)!, { mode, target }, why));
        return err;
      }
      try {
        for (const [k, v] of Object.entries(topology.facts)) properties[`${mode}.${k}`] = String(v);
        properties[`${mode}.provider`] = topology.provider;
        if (topology.ipv6OnlyMethod)
          properties[`${mode}.ipv6-only-method`] = topology.ipv6OnlyMethod;
        tracePhase('cells', mode);
        progress.phase(mode);
        const onResult = (r: CellResult) => record(r);
        const matrixOptions = { target, cells, rerunArgs, onResult, signal: owner.signal };
        if (control && provider === 'docker') {
          const { controlNotPassed } = await runMatrixWithControl(topology, matrixOptions);
          properties[`${mode}.control.not-passed`] = controlNotPassed.join(',') || 'none';
        } else await runMatrix(topology, matrixOptions);
        if (!topology.engine && !topology.failed?.has('engine')) {
          // No engine on this provider: every engine result is owed, as a skip with the reason.
          const done = new Set(results.filter((r) => r.mode === mode).map((r) => r.id));
          const owed = planned.get(mode)!.filter((p) => !done.has(p.id) && !cellIds.has(p.id));
          record(
            ...unrunCells(owed, { mode, target }, '').map((r) => ({
              ...r,
              status: 'skipped' as const,
              message: `the ${topology.provider} provider starts no engine; use --provider docker`,
              ...(r.id.startsWith('corpus.') ? { group: 'corpus' } : {}),
            })),
          );
          return undefined;
        }
        const blocked = engineStartFailures(topology, target, planned.get(mode)!, engineIds);
        record(...blocked.results);
        owner.check();
        const engineOptions = {
          cells: blocked.cellsBlocked ? [] : engineCells,
          // The corpus does not depend on the network mode: once per run is enough.
          corpus: corpus && mode === modes[0] && !blocked.corpusBlocked,
          rerunArgs,
        };
        // The engine's control arm: the reference engine against the reference agents, first.
        const refs = topology.controlEngine
          ? await runEngineChecks(
              { ...topology, engine: topology.controlEngine },
              { ...engineOptions, target: REFERENCE_TARGET },
            )
          : [];
        const notPassed = new Map(
          refs.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => [r.id, r]),
        );
        if (topology.controlEngine)
          properties[`${mode}.control.engine-not-passed`] =
            [...notPassed.keys()].join(',') || 'none';
        const mine = await runEngineChecks(topology, { ...engineOptions, target });
        record(...mine.map((r) => blameEnvironment(r, notPassed.get(r.id))));
        if (values.keep) io.stdout(`${topology.describe()}\n`);
      } finally {
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
      const picked = await owner.race(pickProvider(values.provider as 'auto' | 'docker' | 'local'));
      provider = picked.provider;
      properties['run.provider'] = `${provider} (${picked.why})`;
      if (values.provider === 'auto' && provider === 'local') {
        fallback = picked.why;
        io.stderr(
          `${'='.repeat(72)}\nsixgate: ${picked.why}.\nThe engine cells and the corpus need Docker: they are reported as skipped.\n${'='.repeat(72)}\n`,
        );
      } else if (values.provider === 'auto') io.stderr(`sixgate: provider ${provider}\n`);
      if (profile)
        target = profileTarget(await owner.race(profileImages(profile, values.profile!, provider)));
      properties['run.target'] = target.name;
      // Docker topologies share nothing, so the modes run side by side; local agents share the
      // host's ports, so there they take turns.
      if (provider === 'docker')
        failures.push(...(await owner.race(Promise.all(modes.map(runMode)))));
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
        const unrun = planned.get(mode)!.filter((p) => !done.has(p.id));
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
    const fatal = failures.find((f) => f !== undefined);
    for (const mode of modes) {
      const warnings = properties[`${mode}.sweep.warnings`];
      if (warnings)
        io.stderr(`sixgate: warning: leftovers of dead runs not removed: ${warnings}\n`);
    }
    // One way to rerun a cell, written here for matrix and engine cells alike: as the user invoked
    // sixgate, with the same target, every argument shell-quoted.
    const again = (r: CellResult) =>
      [
        invocation(),
        ...['run', '--cell', r.id, '--mode', r.mode, ...targetArgs, '--keep'].map(shellQuote),
      ].join(' ');
    for (const r of report) {
      if (r.group) continue;
      r.repro = [again(r), ...r.repro.filter((c) => !/^sixgate run /.test(c))];
    }
    // Matrix cells, then engine cells, in their table order; the corpus after them as loaded.
    const order = new Map([...cells, ...engineCells].map((c, i) => [c.id, i]));
    const rank = (id: string) => order.get(id) ?? order.size;
    report.sort((a, b) => a.mode.localeCompare(b.mode) || rank(a.id) - rank(b.id));
    await mkdir(dirname(values.junit), { recursive: true });
    await writeFile(values.junit, toJunit(report, { properties, startedAt }));
    await mkdir(dirname(values.html), { recursive: true });
    await writeFile(values.html, toHtml(report, properties));
    progress.end();
    io.stdout(summarize(report));
    io.stdout(`JUnit: ${values.junit}\nHTML:  ${values.html}\n`);
    if (interrupted) {
      io.stderr(
        `sixgate: interrupted by ${interrupted.signal}: ${results.length} of ${report.length} results finished; the rest are reported as interrupted\n`,
      );
      return interrupted.exitCode;
    }
    if (fatal !== undefined) {
      io.stderr(`${escapeControls(clip(describeError(fatal), 16 * 1024), 'keep')}\n`);
      return fatal instanceof SixgateError ? fatal.exitCode : 1;
    }
    // A gate must not go green without having tested: under --strict (and in CI) a fallback or a
    // skip is an environment that is not ready.
    const skipped = report.filter((r) => r.status === 'skipped').length;
    if (strict && (fallback || skipped)) {
      io.stderr(
        `sixgate: ${values.strict ? '--strict' : 'CI=true'}: ${[fallback, skipped && `${skipped} result(s) skipped`].filter(Boolean).join('; ')}; not a pass (exit 3)\n`,
      );
      return 3;
    }
    return report.some((r) => r.status === 'failed' || r.status === 'error') ? 1 : 0;
  },
};

export default run;
