// The corpus's verdict against an engine's: the same comparison for the engine suite and for
// `sixgate run`, so both fail an engine for the same reasons.
import { expectedVerdict, type CorpusCase } from '../address/corpus.ts';
import type { EngineVerdict } from './corpus-validator.ts';

/**
 * What the engine must say about a case: the corpus's expectation, on the keys it exposes.
 * Reason codes are sixgate's own words: only the reference engine is held to them.
 */
export function expectedFromEngine(
  c: CorpusCase,
  v: EngineVerdict,
  opts: { reasonCodes: boolean } = { reasonCodes: true },
): Record<string, unknown> {
  const full = expectedVerdict(c) as Record<string, unknown>;
  const keys = ['input', 'field', 'valid', ...(opts.reasonCodes ? ['reason'] : []), ...v.reports];
  return Object.fromEntries(Object.entries(full).filter(([k]) => keys.includes(k)));
}

/** Why the engine's verdict disagrees with the case, or undefined when it agrees. */
export function disagreement(
  c: CorpusCase,
  v: EngineVerdict,
  opts: { reasonCodes: boolean } = { reasonCodes: true },
): string | undefined {
  if (v.error) return v.error;
  const expected = expectedFromEngine(c, v, opts);
  const actual = v as unknown as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected)) {
    const got = key === 'reason' ? { code: v.reason.code } : actual[key];
    if (JSON.stringify(got) !== JSON.stringify(want))
      return `${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  }
  if (c.valid && v.reports.includes('zone') && v.zone !== c.zone)
    return `zone: expected ${c.zone}, got ${v.zone}`;
  return undefined;
}
