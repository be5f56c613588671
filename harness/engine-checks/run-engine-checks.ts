import { loadCorpus, type CorpusCase } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import { disagreement } from '../engine-client/compare.ts';
import { engineValidator, type EngineVerdict } from '../engine-client/corpus-validator.ts';
import { isEngineFailure } from '../engine-client/client.ts';
import { engineClientFor } from '../engine-client/topology.ts';
import { agentKey, type AgentRole, REFERENCE_TARGET, type Target } from '../matrix/agents.ts';
import type { CellResult } from '../matrix/result.ts';
import { need, TopologyLacks } from '../matrix/cell.ts';
import type { StartedTopology } from '../providers/contract.ts';
import { clip, LOG_TAIL_MAX_BYTES } from '../text/quote.ts';
import type { EngineCell, EngineContext } from './engine-cell.ts';
import { ENGINE_CELLS } from './engine-cells.ts';

export interface EngineCheckOptions {
  target?: Target;
  cells?: readonly EngineCell[];
  /**
   * Run the validation corpus through the engine's API fields too: every case, or only the
   * ones named (`corpus.<id>`, a shard's share).
   */
  corpus?: boolean | ReadonlySet<string>;
  rerunArgs?: string[];
  /** The engine client's per-request limit. @default ENGINE_REQUEST_TIMEOUT_MS (10000) */
  requestTimeoutMs?: number;
}

/** The engine's log tail for a failure's diagnostics, bounded whatever the engine logs. */
async function engineLog(engine: NonNullable<StartedTopology['engine']>): Promise<string> {
  const logs = await engine.host.logs(30).catch((e: Error) => `(no logs: ${e.message})`);
  return `--- engine log tail\n${clip(logs, LOG_TAIL_MAX_BYTES, 'tail')}`;
}

/** The reference engine speaks sixgate's reason codes; another engine is held to the verdicts. */
const isReferenceEngine = (t: Target) =>
  !t.engine?.image && (t.engine?.program ?? 'engine') === 'engine';

function base(cell: { id: string; title: string; source: string }, t: Target, s: StartedTopology) {
  return {
    id: cell.id,
    title: cell.title,
    source: cell.source,
    target: t.name,
    mode: s.mode,
    properties: {
      'cell.source': cell.source,
      'cell.mode': s.mode,
      'cell.target': t.name,
    } as Record<string, string>,
  };
}

async function runCell(
  cell: EngineCell,
  ctx: EngineContext,
  t: Target,
  s: StartedTopology,
  rerun: string,
): Promise<CellResult> {
  const started = performance.now();
  const expected = cell.expected(ctx.mode);
  const result = (r: Pick<CellResult, 'status'> & Partial<CellResult>): CellResult => ({
    ...base(cell, t, s),
    expected,
    repro: [`sixgate run --cell ${cell.id} --mode ${s.mode}${rerun} --keep`],
    durationMs: Math.round(performance.now() - started),
    ...r,
  });
  const first = await attempt(cell, ctx, result);
  // A timeout is not a verdict until it is shown to be the target's: on a loaded machine the
  // engine's call to the agent (or ours to the engine) runs out of time, so the cell gets once
  // more, and the report says so (certify does not accept a pass that needed it).
  if (first.status !== 'failed' || !TIMED_OUT.test(first.message ?? '')) return first;
  const again = await attempt(cell, ctx, result);
  return {
    ...again,
    properties: {
      ...again.properties,
      'cell.retried': `timed out the first time: ${clip(first.message ?? '', 300)}`,
    },
  };
}

/** A failure that says the time ran out (ours, the engine's, or the engine's call to the agent). */
const TIMED_OUT = /\btimed out\b|\btimeout\b/i;

async function attempt(
  cell: EngineCell,
  ctx: EngineContext,
  result: (r: Pick<CellResult, 'status'> & Partial<CellResult>) => CellResult,
): Promise<CellResult> {
  try {
    const problem = await cell.check(ctx);
    if (!problem) return result({ status: 'passed' });
    return result({ status: 'failed', message: problem, diagnostics: await engineLog(ctx.engine) });
  } catch (err) {
    // A fact this topology does not offer (no link-local here): a skip that says which.
    if (err instanceof TopologyLacks) return result({ status: 'skipped', message: err.message });
    // A non-2xx where the cell expected success, or a request the engine refused, reset, left
    // unanswered or answered with garbage: the target's failure, on this cell.
    if (isEngineFailure(err)) {
      return result({
        status: 'failed',
        message: err.message,
        diagnostics: await engineLog(ctx.engine),
      });
    }
    return result({ status: 'error', message: `harness error: ${(err as Error).message}` });
  }
}

function corpusResults(
  cases: CorpusCase[],
  verdicts: EngineVerdict[],
  t: Target,
  s: StartedTopology,
  ms: number,
): CellResult[] {
  const reasonCodes = isReferenceEngine(t);
  return cases.map((c, i) => {
    const v = verdicts[i]!;
    const problem = disagreement(c, v, { reasonCodes });
    const b = base(
      { id: `corpus.${c.id}`, title: `${c.field} ${JSON.stringify(c.input)}`, source: c.source },
      t,
      s,
    );
    b.properties['corpus.via'] = v.via;
    return {
      ...b,
      group: 'corpus',
      status: problem ? 'failed' : 'passed',
      ...(problem ? { message: `${problem} (${v.via})` } : {}),
      expected: c.valid ? 'valid' : `invalid${c.reason ? ` (${c.reason})` : ''}`,
      observed: v.valid ? 'accepted' : `refused: ${v.reason.code}`,
      durationMs: Math.round(ms / cases.length),
      repro: [],
    };
  });
}

/**
 * The engine's end-to-end cells against the target's agents, and the validation corpus through
 * its API fields. Nothing to do when the run has no engine.
 */
export async function runEngineChecks(
  topology: StartedTopology,
  options: EngineCheckOptions = {},
): Promise<CellResult[]> {
  const engine = topology.engine;
  if (!engine) return [];
  const target = options.target ?? REFERENCE_TARGET;
  const cells = options.cells ?? ENGINE_CELLS;
  const rerun = options.rerunArgs?.length ? ` ${options.rerunArgs.join(' ')}` : '';
  const client = engineClientFor(
    topology,
    options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs },
  );
  // A cell reaches only the agents of its own roles: the run starts no others.
  const host = (role: AgentRole) =>
    need(topology.hosts.get(agentKey(target, role)), `the ${role} agent of ${target.name}`);
  const ctx: EngineContext = {
    mode: topology.mode,
    client,
    engine,
    tls: topology.tls,
    get agent() {
      return host('wildcard');
    },
    get ipv4Only() {
      return host('ipv4-any');
    },
  };
  try {
    const results: CellResult[] = await Promise.all(
      cells.map((c) => runCell(c, ctx, target, topology, rerun)),
    );
    const only = typeof options.corpus === 'object' ? options.corpus : undefined;
    if (options.corpus === true || (only && only.size > 0)) {
      const cases = loadCorpus().filter(
        (c) => isEngineField(c.field) && (!only || only.has(`corpus.${c.id}`)),
      );
      const started = performance.now();
      try {
        const verdicts = (await engineValidator(client).validateMany(cases)) as EngineVerdict[];
        results.push(
          ...corpusResults(cases, verdicts, target, topology, performance.now() - started),
        );
      } catch (err) {
        // The engine's own failures are verdicts on the cases they hit (corpus-validator.ts):
        // what reaches here broke in the harness.
        const cell = {
          id: 'corpus',
          title: 'the validation corpus through the engine API',
          source: 'fixtures/validation',
        };
        results.push({
          ...base(cell, target, topology),
          status: 'error',
          message: `harness error: ${(err as Error).message}`,
          expected: 'every case answered',
          durationMs: Math.round(performance.now() - started),
          repro: [],
        });
      }
    }
    return results;
  } finally {
    await client.close();
  }
}
