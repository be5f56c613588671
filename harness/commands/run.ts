import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { ConfigError, describeError, SixgateError, UsageError } from '../errors/index.ts';
import {
  agentSpecsFor,
  type AgentRole,
  CELLS,
  type CellResult,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  targetByName,
  unrunCells,
} from '../matrix/index.ts';
import { describeExpectation } from '../matrix/check.ts';
import type { NetworkMode } from '../providers/contract.ts';
import { ENGINE_CELLS, runEngineChecks } from '../engine-checks/index.ts';
import { buildProfileImages, loadProfile, profileTarget, type Profile } from '../profile/index.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { pickProvider, startTopology } from '../providers/index.ts';
import { toHtml } from '../report/html.ts';
import { toJunit } from '../report/junit.ts';
import { summarize } from '../report/summary.ts';

const MODES: Record<string, NetworkMode[]> = {
  'dual-stack': ['dual-stack'],
  'ipv6-only': ['ipv6-only'],
  both: ['dual-stack', 'ipv6-only'],
};

/** `--cell` takes matrix cell ids and engine cell ids; no `--cell` runs everything. */
function pickCells(ids: string[] | undefined) {
  if (!ids?.length) return { cells: CELLS, engineCells: ENGINE_CELLS, corpus: true };
  const known = [...CELLS, ...ENGINE_CELLS].map((c) => c.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new UsageError(`--cell: no cell named ${unknown.map((u) => `'${u}'`).join(', ')}`, {
      hint: `'sixgate matrix' lists the cells; e.g. ${CELLS[0]!.id}`,
    });
  }
  return {
    cells: CELLS.filter((c) => ids.includes(c.id)),
    engineCells: ENGINE_CELLS.filter((c) => ids.includes(c.id)),
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
const ENGINE_ROLES: AgentRole[] = ['wildcard', 'ipv4-any'];

const run: Command = {
  summary:
    'Run the connection matrix and the engine checks against a target; write reports/junit.xml and reports/matrix.html.',
  usage:
    'sixgate run [--provider auto|docker|local] [--mode both|dual-stack|ipv6-only] [--target NAME | --profile FILE] [--cell ID]... [--keep] [--junit FILE] [--html FILE]',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', argv, {
      provider: { type: 'string', default: 'auto' },
      mode: { type: 'string', default: 'both' },
      target: { type: 'string' },
      profile: { type: 'string' },
      cell: { type: 'string', multiple: true },
      keep: { type: 'boolean', default: false },
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
    const named = profile ? undefined : targetByName(values.target ?? REFERENCE_TARGET.name);
    const { cells, engineCells, corpus } = pickCells(values.cell);
    const startedAt = new Date();
    const results: CellResult[] = [];
    const rerunArgs = [
      ...(values.provider === 'auto' ? [] : ['--provider', values.provider]),
      ...(values.profile === undefined ? [] : ['--profile', values.profile]),
    ];
    const provider = await pickProvider(values.provider as 'auto' | 'docker' | 'local');
    if (values.provider === 'auto') io.stderr(`sixgate: provider ${provider}\n`);
    const target = named ?? profileTarget(await profileImages(profile!, values.profile!, provider));
    const properties: Record<string, string> = { 'run.target': target.name };

    // A topology that cannot start is a harness error for each of its cells: CI still gets a
    // JUnit file that says so, and the exit code says why (3: environment not ready).
    const runMode = async (mode: NetworkMode): Promise<unknown> => {
      let topology;
      try {
        topology = await startTopology({
          mode,
          agents: agentSpecsFor(target, [
            ...new Set([...rolesOf(cells), ...(engineCells.length ? ENGINE_ROLES : [])]),
          ]),
          provider,
          keep: values.keep,
          engine: provider === 'docker' && (target.engine ?? true),
        });
      } catch (err) {
        const why =
          err instanceof SixgateError && err.hint
            ? `${err.message} (${err.hint})`
            : String((err as Error).message ?? err);
        const planned = [
          ...cells.map((c) => ({ ...c, expected: describeExpectation(c.expect(mode)) })),
          ...engineCells.map((c) => ({ ...c, expected: c.expected(mode) })),
        ];
        results.push(...unrunCells(planned, { mode, target }, why));
        return err;
      }
      try {
        for (const [k, v] of Object.entries(topology.facts)) properties[`${mode}.${k}`] = String(v);
        properties[`${mode}.provider`] = topology.provider;
        if (topology.ipv6OnlyMethod)
          properties[`${mode}.ipv6-only-method`] = topology.ipv6OnlyMethod;
        results.push(...(await runMatrix(topology, { target, cells, rerunArgs })));
        // The corpus does not depend on the network mode: once per run is enough.
        results.push(
          ...(await runEngineChecks(topology, {
            target,
            cells: engineCells,
            corpus: corpus && mode === modes[0],
            rerunArgs,
          })),
        );
        if (values.keep) io.stdout(`${topology.describe()}\n`);
      } finally {
        // With --keep this only lets go of the probes; the containers stay up.
        await topology[Symbol.asyncDispose]();
      }
      return undefined;
    };
    // Docker topologies share nothing, so the modes run side by side; local agents share the
    // host's ports, so there they take turns.
    const failures: unknown[] = [];
    if (provider === 'docker') failures.push(...(await Promise.all(modes.map(runMode))));
    else for (const mode of modes) failures.push(await runMode(mode));
    const fatal = failures.find((f) => f !== undefined);
    // Matrix cells, then engine cells, in their table order; the corpus after them as loaded.
    const order = new Map([...cells, ...engineCells].map((c, i) => [c.id, i]));
    const rank = (id: string) => order.get(id) ?? order.size;
    results.sort((a, b) => a.mode.localeCompare(b.mode) || rank(a.id) - rank(b.id));
    await mkdir(dirname(values.junit), { recursive: true });
    await writeFile(values.junit, toJunit(results, { properties, startedAt }));
    await mkdir(dirname(values.html), { recursive: true });
    await writeFile(values.html, toHtml(results, properties));
    io.stdout(summarize(results));
    io.stdout(`JUnit: ${values.junit}\nHTML:  ${values.html}\n`);
    if (fatal !== undefined) {
      io.stderr(`${describeError(fatal)}\n`);
      return fatal instanceof SixgateError ? fatal.exitCode : 1;
    }
    return results.some((r) => r.status === 'failed' || r.status === 'error') ? 1 : 0;
  },
};

export default run;
