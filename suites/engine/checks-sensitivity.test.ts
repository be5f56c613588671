// `sixgate run`'s engine checks against the reference engine and each deliberately broken engine,
// all as containers of a run, in both network modes: each must fail exactly the engine cells and
// corpus cases its fault touches (engine-faults.ts), nothing else, and nothing may end as a
// harness error. One topology per engine per mode; the corpus runs in the first mode only, as in
// `sixgate run` (it does not depend on the network mode).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentSpecsFor,
  type CellResult,
  ENGINE_CELLS,
  isEngineField,
  loadCorpus,
  type NetworkMode,
  REFERENCE_TARGET,
  runEngineChecks,
  startTopology,
  type StartedTopology,
  type Target,
  targetByName,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { ENGINE_FAULTS } from './engine-faults.ts';

const CORPUS_MODE: NetworkMode = 'dual-stack';
const corpus = loadCorpus().filter((c) => isEngineField(c.field));
// Every engine in the corpus's mode; in IPv6-only only those whose fault touches an engine cell
// (the reference among them). An engine whose bug lives only in its validators fails no cell in
// either mode, and its corpus verdicts do not depend on the mode, so a second topology for it
// would cost a minute of CI and prove nothing new.
const RUNS = Object.entries(ENGINE_FAULTS).flatMap(([name, fault]) =>
  (['dual-stack', 'ipv6-only'] as const)
    .filter(
      (mode) => mode === CORPUS_MODE || name === 'reference' || fault.cells['ipv6-only'].length > 0,
    )
    .map((mode) => [name, mode] as const),
);

describe.skipIf(dockerReason).each(RUNS)(
  dockerTitle('engine checks against %s, %s'),
  (name, mode) => {
    const target: Target = name === 'reference' ? REFERENCE_TARGET : targetByName(name);
    const fault = ENGINE_FAULTS[name]!;
    let topology: StartedTopology | undefined;
    let results: CellResult[] = [];

    beforeAll(async () => {
      topology = await startTopology({
        mode,
        provider: 'docker',
        engine: target.engine ?? true,
        agents: agentSpecsFor(target, ['wildcard', 'ipv4-any']),
      });
      results = await runEngineChecks(topology, { target, corpus: mode === CORPUS_MODE });
    }, 600_000);
    afterAll(async () => {
      await topology?.down();
    });

    it('fails exactly where the fault bites, and nothing errors', () => {
      const want = [
        ...fault.cells[mode],
        ...(mode === CORPUS_MODE ? corpus.filter(fault.flips).map((c) => `corpus.${c.id}`) : []),
      ].sort();
      // A broken engine that fails nothing where the corpus runs would prove nothing.
      if (name !== 'reference' && mode === CORPUS_MODE) expect(want.length).toBeGreaterThan(0);
      const failed = results.filter((r) => r.status === 'failed').map((r) => r.id);
      expect(failed.sort(), results.map((r) => `${r.id}: ${r.message ?? ''}`).join('\n')).toEqual(
        want,
      );
      const other = results.filter((r) => r.status !== 'failed' && r.status !== 'passed');
      expect(other.map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
    });

    it('ran every engine cell, and the corpus where it belongs', () => {
      const ids = results.map((r) => r.id);
      expect(ids.filter((id) => id.startsWith('engine.')).sort()).toEqual(
        ENGINE_CELLS.map((c) => c.id).sort(),
      );
      expect(ids.filter((id) => id.startsWith('corpus.')).length).toBe(
        mode === CORPUS_MODE ? corpus.length : 0,
      );
    });
  },
);
