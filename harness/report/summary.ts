// The console view of a run. Text from the target is capped and its control characters shown
// as escapes (`\x1b`): a reply or a log line must not recolour, clear or rewrite a CI log, and
// a line break appears only where this layout puts one.
import type { CellResult } from '../matrix/result.ts';
import { clip, escapeControls } from '../text/quote.ts';

const MARK: Record<CellResult['status'], string> = {
  passed: 'pass ',
  failed: 'FAIL ',
  error: 'ERROR',
  skipped: 'skip ',
};

/** The most one console field shows; the reports carry more. */
const FIELD_MAX_BYTES = 2048;
/** Failures of one group (the corpus) told in full; the rest are counted, and are in the JUnit. */
const GROUP_DETAIL_MAX = 20;

/** Diagnostics on the console: the first lines, each capped; the reports hold all of them. */
const DIAG_LINES = 24;
const DIAG_LINE_MAX_BYTES = 240;

/** One field on one console line. */
const line = (text: string | undefined) => escapeControls(clip(text ?? '', FIELD_MAX_BYTES));

/** The console view: one line per cell, details for what did not pass, then the totals. */
export function summarize(results: readonly CellResult[]): string {
  // Grouped results (the corpus) show one line when they all pass, and each one that does not.
  const shown = results.filter((r) => !r.group || r.status !== 'passed');
  const width = Math.max(...shown.filter((r) => !r.group).map((r) => r.id.length), 10);
  const lines = shown.map(
    (r) =>
      `${MARK[r.status]} ${r.mode.padEnd(10)} ${line(r.id).padEnd(width)} ${line(r.spec)}${
        r.status === 'skipped' ? `  (${line(r.message)})` : ''
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
  const perGroup = new Map<string, number>();
  for (const r of bad) {
    if (r.status === 'error' && r.message) {
      const seen = told.get(r.message) ?? 0;
      told.set(r.message, seen + 1);
      if (seen > 0) continue;
    }
    if (r.group) {
      const seen = perGroup.get(r.group) ?? 0;
      perGroup.set(r.group, seen + 1);
      if (seen >= GROUP_DETAIL_MAX) continue;
    }
    lines.push(
      '',
      `${MARK[r.status]} ${line(r.id)} [${r.mode}] ${line(r.title)}`,
      `  source:   ${line(r.source)}`,
    );
    lines.push(
      `  expected: ${line(r.expected)}`,
      `  ${r.status === 'error' ? 'error' : 'problem'}:  ${line(r.message)}`,
    );
    if (r.diagnostics) {
      const diag = r.diagnostics.split('\n');
      lines.push('  diagnostics:');
      for (const d of diag.slice(0, DIAG_LINES))
        lines.push(`    ${escapeControls(clip(d, DIAG_LINE_MAX_BYTES))}`);
      if (diag.length > DIAG_LINES)
        lines.push(`    (${diag.length - DIAG_LINES} more lines in the JUnit and HTML reports)`);
    }
    for (const cmd of r.repro) lines.push(`  repro:    ${line(cmd)}`);
  }
  for (const [group, count] of perGroup) {
    if (count > GROUP_DETAIL_MAX)
      lines.push(
        '',
        `(${count - GROUP_DETAIL_MAX} more ${group} cases did not pass; each is in the JUnit report)`,
      );
  }
  for (const [message, count] of told) {
    if (count > 1)
      lines.push(
        '',
        `(${count - 1} more cells stopped with the same error: ${line(message.split('\n')[0])})`,
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
