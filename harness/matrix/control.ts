// The control arm: a vendor's cells run beside the reference target's in the same topology, by the
// same client. A cell the reference fails here too says nothing about the vendor — it is this
// environment's problem (or sixgate's) — so the vendor's failure there becomes an error.
import { REFERENCE_TARGET } from './agents.ts';
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

/**
 * Runs the reference target's cells first, then the target's, each target result judged against
 * the reference's. The topology must hold both targets' agents (agentSpecsFor each).
 */
export async function runMatrixWithControl(
  topology: Parameters<typeof runMatrix>[0],
  options: MatrixOptions,
): Promise<{ results: CellResult[]; controlNotPassed: string[] }> {
  const { onResult, rerunArgs: _rerun, ...common } = options;
  const refs = await runMatrix(topology, { ...common, target: REFERENCE_TARGET });
  const notPassed = new Map(
    refs.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => [r.id, r]),
  );
  const results = await runMatrix(topology, {
    ...options,
    onResult: onResult && ((r) => onResult(blameEnvironment(r, notPassed.get(r.id)))),
  });
  return {
    results: results.map((r) => blameEnvironment(r, notPassed.get(r.id))),
    controlNotPassed: [...notPassed.keys()],
  };
}
