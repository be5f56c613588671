// "Did you mean": the closest known words to a mistyped flag, command or cell id, and `--cell`
// globs (`peer.ula.*`) matched against the known ids.

/** Levenshtein distance, bounded: inputs are short command-line words. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Up to three known words within a third of the word's length, nearest first. */
export function suggest(word: string, known: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return known
    .map((k) => ({ k, d: distance(word, k), sub: k.includes(word) || word.includes(k) }))
    .filter((x) => x.d <= limit || (x.sub && word.length >= 4))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.k);
}

export function didYouMean(word: string, known: readonly string[]): string {
  const near = suggest(word, known);
  return near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
}

/** `*` any run of characters, `?` one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export const isGlob = (s: string) => /[*?]/.test(s);
