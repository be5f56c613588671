// TAP version 14 (testanything.org/tap-version-14-specification): one test point per result, a
// YAML diagnostics block under each, a skip as `# SKIP reason`. Failed (the target) and error
// (the harness) are both `not ok`; the YAML's `status` and `blame` tell them apart.
//
// Text a target filled reaches YAML, so it is written defensively: control characters shown as
// visible escapes (YAML forbids most of them), one-line values as double-quoted scalars (JSON's
// quoting, a subset of YAML's), several lines as literal blocks with an explicit indentation
// indicator, so leading spaces, `#`, `---` or `...` inside cannot end or bend the block.
import type { CellResult } from '../matrix/result.ts';
import { escapeControls } from '../text/quote.ts';
import type { Reporter, RunReport } from './contract.ts';
import { bounded } from './xml.ts';

/** U+2028, U+2029 and U+FEFF: allowed raw, but readers take them for line breaks or marks. */
const SEPARATORS = /[\u2028\u2029\ufeff]/g;
const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

const quoted = (text: string) => JSON.stringify(text).replace(SEPARATORS, hex);

/** Words a person reads easier bare (statuses, modes, ids); nothing YAML could read as else. */
const PLAIN = /^[a-z][a-z0-9._-]*$/;
/** Bare words YAML 1.1 readers take for booleans or null. */
const YAML_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** One `key: value` of the block, `indent` being the block's own indentation. */
function scalar(key: string, value: string, indent: string): string {
  const text = escapeControls(value, 'keep');
  if (PLAIN.test(text) && !YAML_WORDS.has(text)) return `${indent}${key}: ${text}`;
  if (!text.includes('\n') || /[\u2028\u2029\ufeff]/.test(text))
    return `${indent}${key}: ${quoted(text)}`;
  // Literal block: `|2` says the content is indented two more than the key, whatever its first
  // line starts with; chomping keeps exactly the trailing line breaks the text had.
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? text : text.slice(0, -1);
  return `${indent}${key}: |2${chomp}\n${body
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}`;
}

/**
 * A description or a skip reason on the test point's line: one line (a reader would break it at
 * U+2028 too, ending the stream there), then `#` and `\` escaped as TAP 14 says.
 */
const onTapLine = (text: string) =>
  escapeControls(text)
    .replace(SEPARATORS, hex)
    .replace(/[\\#]/g, (c) => `\\${c}`);

function diagnostics(result: CellResult): string {
  const r = bounded(result);
  const ind = '  ';
  const fields: [string, string | undefined][] = [
    ['status', r.status],
    ['blame', r.status === 'failed' ? 'target' : r.status === 'error' ? 'harness' : undefined],
    ['mode', r.mode],
    ['target', r.target],
    ['id', r.id],
    ['title', r.title],
    ['source', r.source],
    ['expected', r.expected],
    ['observed', r.observed],
    ['message', r.message],
    ['spec', r.spec],
    ['identity', r.identity],
    ['group', r.group],
    ['diagnostics', r.diagnostics],
  ];
  const lines = fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => scalar(k, v, ind));
  lines.push(`${ind}duration_ms: ${r.durationMs}`);
  if (r.repro.length)
    lines.push(`${ind}repro:`, ...r.repro.map((c) => `${ind}  - ${quoted(escapeControls(c))}`));
  const props = Object.entries(r.properties);
  if (props.length)
    lines.push(
      `${ind}properties:`,
      ...props.map(([k, v]) => scalar(quoted(escapeControls(k)), v, `${ind}  `)),
    );
  return `${ind}---\n${lines.join('\n')}\n${ind}...`;
}

function testPoint(r: CellResult, n: number): string {
  const ok = r.status === 'passed' || r.status === 'skipped' ? 'ok' : 'not ok';
  const skip = r.status === 'skipped' ? ` # SKIP ${onTapLine(r.message ?? 'skipped')}` : '';
  return `${ok} ${n} - ${onTapLine(`${r.id} [${r.mode}]`)}${skip}\n${diagnostics(r)}`;
}

/** The whole run as one TAP 14 stream: version, plan, run facts as comments, a point per result. */
export function toTap(report: RunReport): string {
  const { results, properties } = report;
  const out = ['TAP version 14', `1..${results.length}`];
  const fact = (k: string) => properties[k] && `${k.replace(/^run\./, '')} ${properties[k]}`;
  const header = ['run.sixgate', 'run.node', 'run.target', 'run.provider']
    .map(fact)
    .filter(Boolean);
  if (header.length) out.push(`# ${escapeControls(header.join(' · '))}`);
  let mode = '';
  results.forEach((r, i) => {
    if (r.mode !== mode) out.push(`# ${(mode = r.mode)}`);
    out.push(testPoint(r, i + 1));
  });
  const n = (s: CellResult['status']) => results.filter((r) => r.status === s).length;
  out.push(
    `# ${n('passed')} passed, ${n('failed')} failed, ${n('error')} harness errors, ${n('skipped')} skipped`,
  );
  return `${out.join('\n')}\n`;
}

export const tapReporter: Reporter = {
  name: 'tap',
  defaultFile: 'reports/results.tap',
  render: toTap,
};
