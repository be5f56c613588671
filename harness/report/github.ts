// GitHub Actions workflow commands on stdout: a folded `::group::` per network mode with a line
// per result, and an annotation per result that did not pass (`::error` for the target,
// `::warning` for the harness), so a failure shows on the pull request, not only in the log.
//
// Escaping follows GitHub's runner (docs.github.com, "Workflow commands for GitHub Actions";
// actions/toolkit's command.ts): in a command's data `%`, CR and LF become %25, %0D and %0A; in a
// property value also `:` and `,` (%3A, %2C). Text a target filled has its other control
// characters shown as escapes first, so it cannot start a command of its own on a new line.
import type { CellResult } from '../matrix/result.ts';
import { clip, escapeControls } from '../text/quote.ts';
import type { Reporter, RunReport } from './contract.ts';

/** GitHub shows at most 10 error and 10 warning annotations per step; more only adds noise. */
export const ANNOTATIONS_MAX = 50;
/** An annotation's message, which GitHub cuts anyway. */
const ANNOTATION_MAX_BYTES = 4096;
/** One field of a log line. */
const FIELD_MAX_BYTES = 2048;

export const escapeData = (text: string) =>
  escapeControls(text, 'keep').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const escapeProperty = (text: string) =>
  escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const line = (text: string | undefined) => escapeControls(clip(text ?? '', FIELD_MAX_BYTES));

const MARK: Record<CellResult['status'], string> = {
  passed: 'pass ',
  failed: 'FAIL ',
  error: 'ERROR',
  skipped: 'skip ',
};

function groupOf(mode: string, rs: readonly CellResult[]): string[] {
  const n = (s: CellResult['status']) => rs.filter((r) => r.status === s).length;
  const out = [
    `::group::${escapeData(`${mode}: ${n('passed')} passed, ${n('failed')} failed, ${n('error')} harness errors, ${n('skipped')} skipped`)}`,
  ];
  // A passing corpus case is one of hundreds: they fold into one line per group.
  for (const r of rs.filter((r) => !r.group || r.status !== 'passed')) {
    const why = r.status === 'passed' ? line(r.spec) : line(r.message);
    out.push(`${MARK[r.status]} ${line(r.id)}${why ? `  ${why}` : ''}`);
  }
  const groups = new Map<string, CellResult[]>();
  for (const r of rs) if (r.group) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  for (const [group, members] of groups) {
    const passed = members.filter((r) => r.status === 'passed').length;
    out.push(`${line(group)}: ${passed} of ${members.length} cases agree`);
  }
  out.push('::endgroup::');
  return out;
}

function annotation(r: CellResult): string {
  const kind = r.status === 'failed' ? 'error' : 'warning';
  const title = `${r.status === 'failed' ? 'target failed' : 'harness error'}: ${r.id} [${r.mode}]`;
  const body = [
    r.message ?? r.status,
    `expected: ${r.expected}`,
    r.observed === undefined ? '' : `observed: ${r.observed}`,
    `source: ${r.source}`,
    ...r.repro.map((c) => `repro: ${c}`),
  ]
    .filter(Boolean)
    .join('\n');
  return `::${kind} title=${escapeProperty(clip(title, FIELD_MAX_BYTES))}::${escapeData(clip(body, ANNOTATION_MAX_BYTES))}`;
}

/** The run as workflow commands: groups per mode, then annotations, then the totals line. */
export function toGithub(report: RunReport): string {
  const { results } = report;
  const out: string[] = [];
  const modes = [...new Set(results.map((r) => r.mode))];
  for (const mode of modes)
    out.push(
      ...groupOf(
        mode,
        results.filter((r) => r.mode === mode),
      ),
    );
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
  out.push(...bad.slice(0, ANNOTATIONS_MAX).map(annotation));
  if (bad.length > ANNOTATIONS_MAX)
    out.push(
      `::notice title=sixgate::${escapeData(`${bad.length - ANNOTATIONS_MAX} more results did not pass; every one is in the log above and in the reports`)}`,
    );
  const n = (s: CellResult['status']) => results.filter((r) => r.status === s).length;
  out.push(
    `matrix: ${n('passed')} passed, ${n('failed') + n('error')} failed, ${n('skipped')} skipped`,
  );
  return `${out.join('\n')}\n`;
}

export const githubReporter: Reporter = { name: 'github', render: toGithub };
