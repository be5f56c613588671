// The HTML matrix a person opens: every text a target can fill is capped and escaped.
import type { CellResult } from '../matrix/result.ts';
import { bounded, escapeXml as esc } from './xml.ts';

const COLOR: Record<CellResult['status'], string> = {
  passed: '#1a7f37',
  failed: '#cf222e',
  error: '#9a6700',
  skipped: '#6e7781',
};

function badge(result: CellResult | undefined): string {
  if (!result) return '<td class="none">—</td>';
  const r = bounded(result);
  const detail = [r.message, r.observed && `observed: ${r.observed}`, r.diagnostics, ...r.repro]
    .filter(Boolean)
    .join('\n');
  const label = `<span class="badge" style="background:${COLOR[r.status]}">${r.status}</span>`;
  return detail && r.status !== 'passed'
    ? `<td><details><summary>${label}</summary><pre>${esc(detail)}</pre></details></td>`
    : `<td title="${esc(r.observed ?? '')}">${label}</td>`;
}

/**
 * The run as one page a person opens on a laptop: a row per cell, a column per network mode,
 * what failed unfolded to its reason, diagnostics and repro commands. Passing corpus cases fold
 * into one row per mode; the ones that disagree get rows of their own.
 */
export function toHtml(results: readonly CellResult[], facts: Record<string, string>): string {
  const modes = [...new Set(results.map((r) => r.mode))];
  const rows = new Map<string, Map<string, CellResult>>();
  const corpus = new Map<string, CellResult[]>();
  for (const r of results) {
    if (r.group && r.status === 'passed') {
      corpus.set(r.mode, [...(corpus.get(r.mode) ?? []), r]);
      continue;
    }
    if (!rows.has(r.id)) rows.set(r.id, new Map());
    rows.get(r.id)!.set(r.mode, r);
  }
  const body = [...rows].map(([id, byMode]) => {
    const any = [...byMode.values()][0]!;
    return `<tr><th><code>${esc(id)}</code><div class="title">${esc(any.title)}</div><div class="source">${esc(any.source)}</div></th>${modes
      .map((m) => badge(byMode.get(m)))
      .join('')}</tr>`;
  });
  if (corpus.size) {
    body.push(
      `<tr><th>validation corpus through the engine API<div class="source">fixtures/validation</div></th>${modes
        .map((m) =>
          corpus.has(m)
            ? `<td>${corpus.get(m)!.length} cases agree</td>`
            : '<td class="none">—</td>',
        )
        .join('')}</tr>`,
    );
  }
  const count = (s: CellResult['status']) => results.filter((r) => r.status === s).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sixgate run</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:6px 10px;vertical-align:top;text-align:left}
.badge{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}
.title{font-weight:normal}.source{font-weight:normal;color:#6e7781;font-size:12px}
pre{white-space:pre-wrap;max-width:70em;font-size:12px}.none{color:#8c959f}
</style></head><body>
<h1>sixgate run</h1>
<p>${count('passed')} passed, ${count('failed')} failed, ${count('error')} harness errors, ${count('skipped')} skipped</p>
<table><thead><tr><th>cell</th>${modes.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table>
<h2>Run facts</h2>
<table>${Object.entries(facts)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`)
    .join('')}</table>
</body></html>
`;
}
