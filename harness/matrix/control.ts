// The control arm: a vendor's cells run beside the reference target's in the same topology, by the
// same client. A cell the reference fails here too says nothing about the vendor — it is this
// environment's problem (or sixgate's) — so the vendor's failure there becomes an error.
import { clip } from '../text/quote.ts';
import { REFERENCE_TARGET } from './agents.ts';
import { CELLS } from './cells.ts';
import type { CellResult } from './result.ts';
import { runMatrix, type MatrixOptions } from './run-matrix.ts';

export function blameEnvironment(r: CellResult, ref: CellResult | undefined): CellResult {
  if (!ref || r.status !== 'failed') return r;
  return {
    ...r,
    status: 'error',
    message: `the reference target fails this cell here too: ${ref.message ?? ref.status}; the vendor's own result was: ${r.message ?? ''}`,
    properties: { ...r.properties, 'cell.control': `reference ${ref.status}` },
  };
}

/** What the control arm showed about this environment. */
export interface ControlOutcome {
  /** The reference's cells that failed or errored twice, by id. */
  notPassed: Map<string, CellResult>;
  /** The reference's cells that failed once and passed when tried again, with the first message. */
  recovered: string[];
}

const notPassedIn = (rs: CellResult[]) =>
  new Map(rs.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => [r.id, r]));

/**
 * Runs the reference target's cells, and once more those that did not pass. The reference is
 * known to pass everywhere sixgate is supported, so a failure of it is the environment's: a
 * moment of load on a busy CI machine passes the second time and only says so; a real fault
 * of the environment fails twice and stands.
 */
export async function runControl<C extends { id: string }>(
  cells: readonly C[],
  run: (cells: readonly C[]) => Promise<CellResult[]>,
): Promise<ControlOutcome> {
  const first = notPassedIn(await run(cells));
  if (first.size === 0) return { notPassed: first, recovered: [] };
  const again = notPassedIn(await run(cells.filter((c) => first.has(c.id))));
  const recovered = [...first.values()]
    .filter((r) => !again.has(r.id))
    .map((r) => `${r.id}: ${clip(r.message ?? r.status, 300)}`);
  return { notPassed: again, recovered };
}

/**
 * The properties a mode's control arm leaves in the report, read back by the certify verdict:
 * `<mode>.control.not-passed` for the matrix, `<mode>.control.engine-not-passed` for the engine.
 */
export function controlProperties(
  mode: string,
  arm: 'matrix' | 'engine',
  { notPassed, recovered }: ControlOutcome,
): Record<string, string> {
  const key = (what: string) => `${mode}.control.${arm === 'engine' ? 'engine-' : ''}${what}`;
  return {
    [key('not-passed')]: [...notPassed.keys()].join(',') || 'none',
    ...(notPassed.size
      ? {
          [key('why')]: [...notPassed.values()]
            .map((r) => `${r.id}: ${clip(r.message ?? r.status, 300)}`)
            .join('; '),
        }
      : {}),
    ...(recovered.length ? { [key('passed-on-retry')]: recovered.join('; ') } : {}),
  };
}

/**
 * Runs the reference target's cells first, then the target's, each target result judged against
 * the reference's. The topology must hold both targets' agents (agentSpecsFor each).
 */
export async function runMatrixWithControl(
  topology: Parameters<typeof runMatrix>[0],
  options: MatrixOptions,
): Promise<{ results: CellResult[]; control: ControlOutcome }> {
  const { onResult, rerunArgs: _rerun, ...common } = options;
  const control = await runControl(options.cells ?? CELLS, (cells) =>
    runMatrix(topology, { ...common, cells, target: REFERENCE_TARGET }),
  );
  const results = await runMatrix(topology, {
    ...options,
    onResult: onResult && ((r) => onResult(blameEnvironment(r, control.notPassed.get(r.id)))),
  });
  return {
    results: results.map((r) => blameEnvironment(r, control.notPassed.get(r.id))),
    control,
  };
}
