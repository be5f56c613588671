// One cell result as the reporters' tests build it: every field a reporter reads, with defaults a
// test overrides where its assertion depends on the value.
import type { CellResult } from '../../harness/index.ts';

export const cellResult = (
  id: string,
  status: CellResult['status'],
  extra: Partial<CellResult> = {},
): CellResult => {
  const mode = extra.mode ?? 'dual-stack';
  return {
    id,
    title: `title of ${id}`,
    source: 'RFC 4007 §11',
    target: 'reference',
    mode,
    status,
    expected: 'connects',
    durationMs: 3,
    repro: [`npx sixgate run --cell ${id} --mode ${mode} --keep`],
    properties: {},
    ...extra,
  };
};
