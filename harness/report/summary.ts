import type { CellResult } from '../matrix/result.ts';

const MARK: Record<CellResult['status'], string> = {
  passed: 'pass ',
  failed: 'FAIL ',
  error: 'ERROR',
  skipped: 'skip ',
};

/** The console view: one line per cell, details for what did not pass, then the totals. */
export function summarize(results: readonly CellResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length), 10);
  const lines = results.map(
    (r) =>
      `${MARK[r.status]} ${r.mode.padEnd(10)} ${r.id.padEnd(width)} ${r.spec ?? ''}${
        r.status === 'skipped' ? `  (${r.message})` : ''
      }`,
  );
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
  for (const r of bad) {
    lines.push('', `${MARK[r.status]} ${r.id} [${r.mode}] ${r.title}`, `  source:   ${r.source}`);
    lines.push(
      `  expected: ${r.expected}`,
      `  ${r.status === 'error' ? 'error' : 'problem'}:  ${r.message}`,
    );
    for (const cmd of r.repro) lines.push(`  repro:    ${cmd}`);
  }
  const n = (s: CellResult['status']) => results.filter((r) => r.status === s).length;
  // The closing line keeps the plain 'N passed, N failed, N skipped' form that CI systems read.
  lines.push(
    '',
    `matrix: ${n('passed')} passed, ${n('failed') + n('error')} failed, ${n('skipped')} skipped`,
  );
  if (n('error'))
    lines.push(`(${n('error')} of the failed are harness errors, not target failures)`);
  return `${lines.join('\n')}\n`;
}
