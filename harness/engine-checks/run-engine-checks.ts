import { loadCorpus, type CorpusCase } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import { disagreement } from '../engine-client/compare.ts';
import { engineValidator, type EngineVerdict } from '../engine-client/corpus-validator.ts';
import { EngineFaultError } from '../engine-client/client.ts';
import { engineClientFor } from '../engine-client/topology.ts';
import { agentKey, REFERENCE_TARGET, type Target } from '../matrix/agents.ts';
import type { CellResult } from '../matrix/result.ts';
import type { StartedTopology } from '../providers/contract.ts';
import type { EngineCell, EngineContext } from './engine-cell.ts';
import { ENGINE_CELLS } from './engine-cells.ts';

export interface EngineCheckOptions {
  target?: Target;
  cells?: readonly EngineCell[];
  /** Run the validation corpus through the engine's API fields too. */
  corpus?: boolean;
  rerunArgs?: string[];
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
  try {
    const problem = await cell.check(ctx);
    if (!problem) return result({ status: 'passed' });
    const logs = await ctx.engine.host.logs(30).catch((e: Error) => `(no logs: ${e.message})`);
    return result({
      status: 'failed',
      message: problem,
      diagnostics: `--- engine log tail\n${logs}`,
    });
  } catch (err) {
    // An engine answering 5xx (or any non-2xx where a cell expected success) is the target's fault.
    if (err instanceof EngineFaultError) return result({ status: 'failed', message: err.message });
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
  const agent = topology.hosts.get(agentKey(target, 'wildcard'));
  const ipv4Only = topology.hosts.get(agentKey(target, 'ipv4-any'));
  const client = engineClientFor(topology);
  try {
    const results: CellResult[] = [];
    if (cells.length && agent && ipv4Only) {
      const ctx: EngineContext = {
        mode: topology.mode,
        client,
        engine,
        agent,
        ipv4Only,
        tls: topology.tls,
      };
      results.push(
        ...(await Promise.all(cells.map((c) => runCell(c, ctx, target, topology, rerun)))),
      );
    } else {
      for (const c of cells) {
        results.push({
          ...base(c, target, topology),
          status: 'skipped',
          message: 'the run did not start the agents the engine cells use (wildcard and ipv4-any)',
          expected: c.expected(topology.mode),
          durationMs: 0,
          repro: [],
        });
      }
    }
    if (options.corpus) {
      const cases = loadCorpus().filter((c) => isEngineField(c.field));
      const started = performance.now();
      try {
        const verdicts = (await engineValidator(client).validateMany(cases)) as EngineVerdict[];
        results.push(
          ...corpusResults(cases, verdicts, target, topology, performance.now() - started),
        );
      } catch (err) {
        // The engine answered the cells above, so one that stops answering now is the target.
        const cell = {
          id: 'corpus',
          title: 'the validation corpus through the engine API',
          source: 'fixtures/validation',
        };
        results.push({
          ...base(cell, target, topology),
          status: 'failed',
          message: `the engine stopped answering: ${(err as Error).message}`,
          diagnostics: await engine.host.logs(30).catch(() => ''),
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
