// --shard I/N: shares that never overlap, cover the whole set together, and keep a cell's two
// network modes on one runner (the selection does not depend on the mode at all).
import { describe, expect, it } from 'vitest';
import {
  CELLS,
  ENGINE_CELLS,
  engineCorpusIds,
  parseShard,
  selectCells,
} from '../../harness/index.ts';

const ids = (s: ReturnType<typeof selectCells>) => [
  ...s.cells.map((c) => c.id),
  ...s.engineCells.map((c) => c.id),
  ...s.corpus,
];

describe('--shard', () => {
  const everything = ids(selectCells());

  it('without a shard owes every cell, every engine cell and every engine corpus case', () => {
    expect(everything).toEqual([
      ...CELLS.map((c) => c.id),
      ...ENGINE_CELLS.map((c) => c.id),
      ...engineCorpusIds(),
    ]);
    expect(engineCorpusIds().length).toBeGreaterThan(100);
  });

  it.each([1, 2, 3, 7])('%i shards are disjoint and together cover the whole set', (n) => {
    const shares = Array.from({ length: n }, (_, i) =>
      ids(selectCells([], { index: i + 1, count: n })),
    );
    const all = shares.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(everything));
    // Dealt round-robin: no share is more than one entry bigger than another.
    const sizes = shares.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('shards a --cell selection too, and the same shard is the same share every time', () => {
    const a = ids(selectCells(['peer.*'], { index: 2, count: 3 }));
    expect(a).toEqual(ids(selectCells(['peer.*'], { index: 2, count: 3 })));
    expect(a.every((id) => id.startsWith('peer.'))).toBe(true);
    expect([...selectCells(['peer.*']).corpus]).toEqual([]);
  });

  it.each(['0/3', '4/3', '1/0', '1', 'a/b', '1/3/4', '01/3', ' 1/3', '1/1001'])(
    'refuses %j with the rule',
    (text) => {
      expect(() => parseShard(text)).toThrow(/--shard must be I\/N with 1 ≤ I ≤ N ≤ 1000/);
    },
  );

  it('accepts I/N in range', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });
});
