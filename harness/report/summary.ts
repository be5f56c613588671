import type { CellResult } from '../matrix/result.ts';

const MARK: Record<CellResult['status'], string> = {
  passed: 'pass ',
  failed: 'FAIL ',
  error: 'ERROR',
  skipped: 'skip ',
};

/** The console view: one line per cell, details for what did not pass, then the totals. */
export function summarize(results: readonly CellResult[]): string {
  // Grouped results (the corpus) show one line when they all pass, and each one that does not.
  const shown = results.filter((r) => !r.group || r.status !== 'passed');
  const width = Math.max(...shown.filter((r) => !r.group).map((r) => r.id.length), 10);
  const lines = shown.map(
    (r) =>
      `${MARK[r.status]} ${r.mode.padEnd(10)} ${r.id.padEnd(width)} ${r.spec ?? ''}${
        r.status === 'skipped' ? `  (${r.message})` : ''
      }`,
  );
  const groups = new Map<string, CellResult[]>();
  for (const r of results) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  for (const [group, rs] of groups) {
    const passed = rs.filter((r) => r.status === 'passed').length;
    lines.push(
      `${passed === rs.length ? MARK.passed : MARK.failed} ${rs[0]!.mode.padEnd(10)} ${group}: ${passed} of ${rs.length} cases agree`,
    );
  }
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
  // A harness error shared by many cells (a topology that never started) is told once.
  const told = new Map<string, number>();
  for (const r of bad) {
    if (r.status === 'error' && r.message) {
      const seen = told.get(r.message) ?? 0;
      told.set(r.message, seen + 1);
      if (seen > 0) continue;
    }
    lines.push('', `${MARK[r.status]} ${r.id} [${r.mode}] ${r.title}`, `  source:   ${r.source}`);
    lines.push(
      `  expected: ${r.expected}`,
      `  ${r.status === 'error' ? 'error' : 'problem'}:  ${r.message}`,
    );
    for (const cmd of r.repro) lines.push(`  repro:    ${cmd}`);
  }
  for (const [message, count] of told) {
    if (count > 1)
      lines.push(
        '',
        `(${count - 1} more cells stopped with the same error: ${message.split('\n')[0]})`,
      );
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
