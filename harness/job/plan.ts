// The results a run owes before anything starts, and the ones an engine that did not start
// costs: what an interrupted or unstartable run reports instead of going quiet.
import { loadCorpus } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import type { EngineCell } from '../engine-checks/engine-cell.ts';
import { agentKey, type CellResult, type Target } from '../matrix/index.ts';
import { describeExpectation } from '../matrix/check.ts';
import type { NetworkMode, StartedTopology } from '../providers/contract.ts';
import type { Selection } from './select.ts';

export interface Planned {
  id: string;
  title: string;
  source: string;
  expected: string;
}

/** Every result the run owes in one mode; the corpus only in the mode that runs it. */
export function plannedFor(mode: NetworkMode, picked: Selection, withCorpus: boolean): Planned[] {
  return [
    ...picked.cells.map((c) => ({ ...c, expected: describeExpectation(c.expect(mode)) })),
    ...picked.engineCells.map((c) => ({ ...c, expected: c.expected(mode) })),
    ...(withCorpus && picked.corpus.size
      ? loadCorpus()
          .filter((c) => isEngineField(c.field) && picked.corpus.has(`corpus.${c.id}`))
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
 * The engine cells' own dependencies: the engine and the agents of each cell's roles. One that
 * did not start fails the cells that need it with its reason (the target's), and the corpus with
 * the engine's.
 */
export function engineStartFailures(
  topology: StartedTopology,
  target: Target,
  planned: Planned[],
  engineCells: readonly EngineCell[],
): { results: CellResult[]; blocked: Set<string>; corpusBlocked: boolean } {
  const failed = topology.failed;
  const engineWhy = failed?.get('engine');
  const cellWhy = new Map(
    engineCells.map((c) => {
      const role = c.roles.find((r) => failed?.has(agentKey(target, r)));
      const why = engineWhy
        ? `the engine did not start: ${engineWhy}`
        : role && `the ${role} agent did not start: ${failed!.get(agentKey(target, role))}`;
      return [c.id, why] as const;
    }),
  );
  const blocked = (p: Planned) =>
    cellWhy.has(p.id)
      ? cellWhy.get(p.id)
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
  return {
    results,
    blocked: new Set([...cellWhy].filter(([, why]) => why).map(([id]) => id)),
    corpusBlocked: engineWhy !== undefined,
  };
}
