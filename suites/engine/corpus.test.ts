// The validation corpus through the reference engine's real API fields (dry runs, one pipelined
// pool), each case compared with the corpus. Every case is its own JUnit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  engineValidator,
  type EngineVerdict,
  disagreement,
  expectedFromEngine,
} from '../../harness/index.ts';
import { engineCases, makeTls, runEngine, type RunningEngine } from './support.ts';

const cases = engineCases();
let run: RunningEngine;
let verdicts: EngineVerdict[] = [];
let wallMs = 0;

beforeAll(async () => {
  run = await runEngine(await makeTls());
  const start = performance.now();
  verdicts = (await engineValidator(run.client).validateMany(cases)) as EngineVerdict[];
  wallMs = performance.now() - start;
});
afterAll(async () => run?.[Symbol.asyncDispose]());

describe('validation corpus through the engine API (reference engine)', () => {
  it('answers every engine-field case in seconds', async ({ annotate }) => {
    expect(verdicts).toHaveLength(cases.length);
    expect(cases.length).toBeGreaterThan(500);
    const byVia = new Map<string, number>();
    for (const v of verdicts) byVia.set(v.via, (byVia.get(v.via) ?? 0) + 1);
    await annotate(
      `${cases.length} cases in ${Math.round(wallMs)} ms; ${[...byVia].map(([k, n]) => `${k}: ${n}`).join('; ')}`,
    );
    // Most cases must reach a real API field; the batch endpoint is only for `ip` and empty gateways.
    expect(verdicts.filter((v) => v.via === 'POST /api/validate').length).toBeLessThan(
      cases.length / 10,
    );
  });

  cases.forEach((c, i) => {
    it(c.id, () => {
      const v = verdicts[i]!;
      expect(v.error, `${v.via}: ${v.error}`).toBeUndefined();
      expect(v, `${c.source} (${v.via})`).toMatchObject(expectedFromEngine(c, v));
      expect(disagreement(c, v)).toBeUndefined();
    });
  });
});
