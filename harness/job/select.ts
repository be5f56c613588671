// Which results a run owes: `--cell` ids and globs over the matrix and engine cells, and
// `--shard I/N`, which deals every cell and corpus case to one of N runners so a CI matrix can
// spread a long vendor run; a cell's two modes stay on the same runner.
import { loadCorpus } from '../address/corpus.ts';
import { isEngineField } from '../address/index.ts';
import { didYouMean, globToRegExp, isGlob } from '../cli/suggest.ts';
import { ENGINE_CELLS } from '../engine-checks/index.ts';
import { UsageError } from '../errors/index.ts';
import { CELLS } from '../matrix/index.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface Selection {
  cells: typeof CELLS;
  engineCells: typeof ENGINE_CELLS;
  /** Corpus case ids (`corpus.<id>`) this run owes; empty when the corpus is not run. */
  corpus: ReadonlySet<string>;
}

/** The corpus cases that go through the engine's API, by result id, in file order. */
export function engineCorpusIds(): string[] {
  return loadCorpus()
    .filter((c) => isEngineField(c.field))
    .map((c) => `corpus.${c.id}`);
}

/** `I/N` with 1 ≤ I ≤ N ≤ 1000. */
export function parseShard(text: string): Shard {
  const m = /^([1-9]\d{0,3})\/([1-9]\d{0,3})$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index > count || count > 1000) {
    throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N ≤ 1000; got '${text}'`, {
      hint: 'e.g. --shard 2/4 runs the second quarter; sixgate merge joins the results',
    });
  }
  return { index, count };
}

function byPatterns(patterns: readonly string[]): Set<string> {
  const known = [...CELLS, ...ENGINE_CELLS].map((c) => c.id);
  const wanted = new Set<string>();
  for (const p of patterns) {
    const hits = isGlob(p)
      ? known.filter((id) => globToRegExp(p).test(id))
      : known.filter((id) => id === p);
    if (!hits.length) {
      throw new UsageError(
        `--cell: no cell ${isGlob(p) ? 'matches' : 'named'} '${p}'${didYouMean(p, known)}`,
        { hint: `'sixgate matrix' lists the cells; globs work too, e.g. --cell 'peer.ula.*'` },
      );
    }
    for (const h of hits) wanted.add(h);
  }
  return wanted;
}

/**
 * No `--cell` runs everything, the corpus included. A shard takes every N-th entry of the one
 * fixed order (matrix cells, engine cells, corpus cases), so shards never overlap and together
 * cover the whole set on any machine.
 */
export function selectCells(patterns: readonly string[] = [], shard?: Shard): Selection {
  const wanted = patterns.length ? byPatterns(patterns) : undefined;
  const corpusIds = wanted ? [] : engineCorpusIds();
  const all = [...CELLS.map((c) => c.id), ...ENGINE_CELLS.map((c) => c.id), ...corpusIds].filter(
    (id) => !wanted || wanted.has(id),
  );
  const mine = new Set(shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all);
  return {
    cells: CELLS.filter((c) => mine.has(c.id)),
    engineCells: ENGINE_CELLS.filter((c) => mine.has(c.id)),
    corpus: new Set(corpusIds.filter((id) => mine.has(id))),
  };
}
