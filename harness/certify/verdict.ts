// certify's judgement, decided in one pure function from what results.json holds: `sixgate
// certify` writes its verdict with it and `sixgate verify` recomputes it from the bundle, so a
// bundle whose results were edited no longer supports the verdict it carries.
import { loadCorpus } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import { ENGINE_CELLS } from '../engine-checks/index.ts';
import { CELLS } from '../matrix/index.ts';
import { NETWORK_MODES, type NetworkMode } from '../providers/contract.ts';
import type { RunReport, Verdict } from '../report/contract.ts';

/** A certification covers both network modes, always in this order. */
export const CERTIFY_MODES = Object.keys(NETWORK_MODES) as readonly NetworkMode[];

/** One result a certification owes: a cell in a mode, or a corpus case (`corpus.<id>`). */
export interface PlannedResult {
  mode: NetworkMode;
  id: string;
}

/**
 * Everything a certification must report: every matrix and engine cell in each mode, and the
 * engine-field corpus once, in the first mode (it does not depend on the network mode).
 */
export function certificationPlan(): PlannedResult[] {
  const corpus = loadCorpus()
    .filter((c) => isEngineField(c.field))
    .map((c) => `corpus.${c.id}`);
  return CERTIFY_MODES.flatMap((mode, i) =>
    [...CELLS, ...ENGINE_CELLS]
      .map((c) => c.id)
      .concat(i === 0 ? corpus : [])
      .map((id) => ({ mode, id })),
  );
}

const label = (r: PlannedResult) => `${r.id} [${r.mode}]`;
const listed = (what: string, rs: readonly PlannedResult[]) =>
  `${rs.length} ${rs.length === 1 ? 'result' : 'results'} ${what}: ${rs.map(label).join(', ')}`;

/**
 * Not certified if anything failed, errored or was skipped, passed only on a retry, was left out
 * of the plan or added to it, if the run was filtered, sharded or interrupted, or if the control
 * arm (the reference target in the same topology) did not pass. Each reason lists its cells.
 */
export function judge(
  report: Pick<RunReport, 'results' | 'properties' | 'selection'>,
  plan: readonly PlannedResult[],
): Verdict {
  const { results, properties, selection } = report;
  const reasons: string[] = [];
  const with_ = (status: string) => results.filter((r) => r.status === status);
  for (const [status, what] of [
    ['failed', 'failed'],
    ['error', 'errored'],
    ['skipped', 'skipped'],
  ] as const) {
    const hit = with_(status);
    if (hit.length) reasons.push(listed(what, hit));
  }
  const retried = with_('passed').filter((r) => r.properties['cell.retried'] !== undefined);
  if (retried.length) reasons.push(listed('passed only on a retry', retried));

  if (selection.cells.length)
    reasons.push(`the run was filtered to --cell ${selection.cells.join(' ')}`);
  if (selection.shard)
    reasons.push(`the run was one shard (${selection.shard.index}/${selection.shard.count})`);
  if (selection.shards)
    reasons.push(
      `the run merged only shards ${selection.shards.indices.join(', ')} of ${selection.shards.count}`,
    );
  if (!selection.corpus) reasons.push('the run left out the validation corpus');
  const uncovered = CERTIFY_MODES.filter((m) => !selection.modes.includes(m));
  if (uncovered.length || selection.modes.length !== CERTIFY_MODES.length)
    reasons.push(
      `the run did not cover both network modes (it covered: ${selection.modes.join(', ') || 'none'})`,
    );

  for (const mode of CERTIFY_MODES) {
    for (const arm of ['control.', 'control.engine-']) {
      const value = properties[`${mode}.${arm}not-passed`];
      const why = properties[`${mode}.${arm}why`];
      if (value === undefined)
        reasons.push(`the control arm has no result in ${mode} (${mode}.${arm}not-passed missing)`);
      else if (value !== 'none')
        reasons.push(
          `the control arm (the reference target) did not pass in ${mode}, twice: ${why ?? value.split(',').join(', ')}`,
        );
    }
  }

  const key = (r: PlannedResult) => `${r.mode}\n${r.id}`;
  const planned = new Set(plan.map(key));
  const seen = new Set<string>();
  const repeated: PlannedResult[] = [];
  for (const r of results) {
    if (seen.has(key(r))) repeated.push(r);
    seen.add(key(r));
  }
  const missing = plan.filter((p) => !seen.has(key(p)));
  if (missing.length) reasons.push(listed('planned but missing', missing));
  const extra = results.filter((r) => !planned.has(key(r)));
  if (extra.length) reasons.push(listed('not in the plan', extra));
  if (repeated.length) reasons.push(listed('reported more than once', repeated));

  const target = properties['run.target'];
  const others = results.filter((r) => r.target !== target);
  if (others.length) reasons.push(listed(`not of the target '${target ?? ''}'`, others));
  if (properties['run.interrupted'])
    reasons.push(`the run was interrupted by ${properties['run.interrupted']}`);
  return { certified: reasons.length === 0, reasons };
}
