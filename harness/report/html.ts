// The HTML report a person opens from a CI artifact or a laptop: the verdict or totals first, a
// banner when nothing could start, failures on top with a filter, and the run's facts. One file
// with no external resources, so it works from file:// and offline. Every text a target can fill
// is capped and escaped, and a Content-Security-Policy lets only our own script run besides.
import { createHash } from 'node:crypto';
import type { NetworkMode } from '../providers/contract.ts';
import type { CellResult, CellStatus } from '../matrix/result.ts';
import { clip, MESSAGE_MAX_BYTES } from '../text/quote.ts';
import type { RunReport } from './contract.ts';
import { bounded, escapeXml as esc } from './xml.ts';

/** Failures first: the order of rows, of the filter's boxes and of the totals. */
const ORDER: readonly CellStatus[] = ['failed', 'error', 'skipped', 'passed'];

/** A failure is the target's fault, an error ours or the machine's: the words say which. */
const LABEL: Record<CellStatus, string> = {
  failed: '✗ failed',
  error: '⚠ harness error',
  skipped: '– skipped',
  passed: '✓ passed',
};

const PLURAL: Record<CellStatus, [string, string]> = {
  failed: ['failed', 'failed'],
  error: ['harness error', 'harness errors'],
  skipped: ['skipped', 'skipped'],
  passed: ['passed', 'passed'],
};

// Reads only the page's own markup (data-* attributes), never data passed in: the script's text
// is constant, so its hash in the policy below is too.
const SCRIPT = `(() => {
  const boxes = [...document.querySelectorAll('#filter input[type=checkbox]')];
  const query = document.getElementById('q');
  const rows = [...document.querySelectorAll('#cells tr.row')];
  const shown = document.getElementById('shown');
  const apply = () => {
    const on = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    const q = query.value.trim().toLowerCase();
    let n = 0;
    for (const row of rows) {
      const visible =
        row.dataset.statuses.split(' ').some((s) => on.has(s)) && row.dataset.text.includes(q);
      row.hidden = !visible;
      if (visible) n++;
    }
    shown.textContent = n + ' of ' + rows.length + ' rows shown';
  };
  for (const b of boxes) b.addEventListener('change', apply);
  query.addEventListener('input', apply);
  apply();
})();`;

const POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const STYLE = `
body{font:14px system-ui,sans-serif;margin:2em;color:#1f2328}
h1{font-size:1.6em;margin:0 0 .3em}h1.certified{color:#1a7f37}h1.refused{color:#cf222e}
.facts{color:#57606a;margin:.2em 0 1em}
.banner{border:2px solid #9a6700;background:#fff8c5;padding:.6em 1em;margin:1em 0;max-width:70em}
.banner.failed{border-color:#cf222e;background:#ffebe9}.banner pre{margin:.4em 0}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:6px 10px;vertical-align:top;text-align:left}
.badge{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;white-space:nowrap}
.b-passed{background:#1a7f37}.b-failed{background:#cf222e}.b-error{background:#9a6700}.b-skipped{background:#6e7781}
td.s-failed{background:#fff5f5}td.s-error{background:#fffbe6;border-style:dashed}
.time,.expected,.source{color:#57606a;font-size:12px}.title{font-weight:normal}
pre{white-space:pre-wrap;max-width:70em;font-size:12px;margin:.3em 0}.message{max-height:20em;overflow:auto}
.none{color:#8c959f}#filter{margin:1em 0}#filter label{margin-right:1em}#q{width:24em}
`;

function plural(n: number, status: CellStatus): string {
  return `${n} ${PLURAL[status][n === 1 ? 0 : 1]}`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function formatDate(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A cause as one banner names it, capped: it may quote a daemon's or a target's text. */
const capped = (text: string) => esc(clip(text, MESSAGE_MAX_BYTES));

interface Blocker {
  modes: NetworkMode[];
  /** The message with its mode's name taken out: equal across modes with one cause. */
  cause: string;
  /** Each mode's message as it was: the first names a banner over one mode alone. */
  messages: string[];
  statuses: Set<CellStatus>;
  count: number;
}

/**
 * Modes where nothing started: every result failed or errored with one and the same message
 * (a topology, an agent or the engine that never came up). Modes that share a cause, told apart
 * only by the mode's own name in it, make one banner for the run.
 */
function blockers(results: readonly CellResult[], modes: readonly NetworkMode[]): Blocker[] {
  const found: Blocker[] = [];
  for (const mode of modes) {
    const rs = results.filter((r) => r.mode === mode);
    const message = rs[0]?.message;
    // One result is its own first row already; a banner is for many results with one cause.
    if (rs.length < 2 || message === undefined) continue;
    if (!rs.every((r) => (r.status === 'failed' || r.status === 'error') && r.message === message))
      continue;
    const cause = message.replace(`${mode} `, '');
    const same = found.find((b) => b.cause === cause);
    const statuses = new Set(rs.map((r) => r.status));
    if (same) {
      same.modes.push(mode);
      same.messages.push(message);
      same.count += rs.length;
      statuses.forEach((s) => same.statuses.add(s));
    } else {
      found.push({ modes: [mode], cause, messages: [message], statuses, count: rs.length });
    }
  }
  return found;
}

function banner(b: Blocker, allModes: readonly NetworkMode[]): string {
  const where =
    b.modes.length === allModes.length && allModes.length > 1
      ? 'in any mode'
      : `in ${b.modes.join(', ')}`;
  const whose = b.statuses.has('failed')
    ? b.statuses.has('error')
      ? 'the target and the harness'
      : 'the target (failed)'
    : 'the harness or this machine (harness error), not the target';
  const cls = b.statuses.has('failed') && !b.statuses.has('error') ? 'banner failed' : 'banner';
  return `<div class="${cls}" role="alert"><strong>Nothing could start ${esc(where)}.</strong>
<pre class="cause">${capped(b.modes.length > 1 ? b.cause : b.messages[0]!)}</pre>
<div>It ended all ${b.count} results of ${esc(b.modes.join(' and '))}. Whose fault: ${whose}. The results are listed below.</div></div>`;
}

/** `inBanner`: messages a banner already shows, which 76 rows need not repeat. */
function cell(result: CellResult | undefined, inBanner: ReadonlySet<string>): string {
  if (!result) return '<td class="none">—</td>';
  const r = bounded(result);
  const head = `<span class="badge b-${r.status}">${LABEL[r.status]}</span> <span class="time">${formatMs(r.durationMs)}</span>
<div class="expected">expected: ${esc(r.expected)}</div>`;
  if (r.status === 'passed') {
    return `<td class="s-passed" data-status="passed"${r.observed ? ` title="${esc(r.observed)}"` : ''}>${head}</td>`;
  }
  const message =
    r.message === undefined
      ? ''
      : inBanner.has(result.message!)
        ? '<div class="message">the cause in the banner above</div>'
        : `<pre class="message">${esc(r.message)}</pre>`;
  const more = [r.observed && `observed: ${r.observed}`, r.diagnostics]
    .filter(Boolean)
    .join('\n\n');
  const unfold = more
    ? `<details><summary>observed and diagnostics</summary><pre>${esc(more)}</pre></details>`
    : '';
  const repro = r.repro.length ? `<pre class="repro">${esc(r.repro.join('\n'))}</pre>` : '';
  return `<td class="s-${r.status}" data-status="${r.status}">${head}\n${message}${unfold}${repro}</td>`;
}

interface Row {
  id: string;
  html: (modes: readonly NetworkMode[]) => string;
  statuses: CellStatus[];
  text: string;
}

function rank(statuses: readonly CellStatus[]): number {
  return Math.min(...statuses.map((s) => ORDER.indexOf(s)));
}

function rowOpen(row: Pick<Row, 'id' | 'statuses' | 'text'>): string {
  return `<tr class="row" data-id="${esc(row.id)}" data-statuses="${[...new Set(row.statuses)].join(' ')}" data-text="${esc(row.text.toLowerCase())}">`;
}

/** A row per cell (or corpus case that did not pass), then one for the passing corpus. */
function rows(results: readonly CellResult[], inBanner: ReadonlySet<string>): Row[] {
  const cells = new Map<string, Map<NetworkMode, CellResult>>();
  const corpus = new Map<NetworkMode, CellResult[]>();
  for (const r of results) {
    if (r.group && r.status === 'passed') {
      corpus.set(r.mode, [...(corpus.get(r.mode) ?? []), r]);
      continue;
    }
    if (!cells.has(r.id)) cells.set(r.id, new Map());
    cells.get(r.id)!.set(r.mode, r);
  }
  const out: Row[] = [...cells].map(([id, byMode]) => {
    const any = [...byMode.values()][0]!;
    const row = {
      id,
      statuses: [...byMode.values()].map((r) => r.status),
      text: `${id} ${any.title} ${any.source}`,
    };
    return {
      ...row,
      html: (modes) =>
        `${rowOpen(row)}<th><code>${esc(id)}</code><div class="title">${esc(any.title)}</div><div class="source">${esc(any.source)}</div></th>${modes
          .map((m) => cell(byMode.get(m), inBanner))
          .join('')}</tr>`,
    };
  });
  if (corpus.size) {
    const row = {
      id: 'corpus',
      statuses: ['passed' as const],
      text: 'corpus validation corpus through the engine API fixtures/validation',
    };
    out.push({
      ...row,
      html: (modes) =>
        `${rowOpen(row)}<th>validation corpus through the engine API<div class="source">fixtures/validation</div></th>${modes
          .map((m) => {
            const rs = corpus.get(m);
            if (!rs) return '<td class="none">—</td>';
            const ms = rs.reduce((t, r) => t + r.durationMs, 0);
            return `<td class="s-passed" data-status="passed"><span class="badge b-passed">${LABEL.passed}</span> <span class="time">${formatMs(ms)}</span>
<div class="expected">${rs.length === 1 ? '1 case agrees' : `${rs.length} cases agree`}: each verdict as the corpus gives it</div></td>`;
          })
          .join('')}</tr>`,
    });
  }
  // Stable: within a rank, the table order the results came in.
  return out
    .map((row, i) => ({ row, i }))
    .sort((a, b) => rank(a.row.statuses) - rank(b.row.statuses) || a.i - b.i)
    .map(({ row }) => row);
}

/** Facts a person asks first, then every other property as given. */
function facts(report: RunReport): Array<[string, string]> {
  const p = report.properties;
  const { selection: sel } = report;
  const known = ['run.sixgate', 'run.node', 'run.target', 'run.provider'];
  return [
    ['date', formatDate(report.startedAt)],
    ['duration', formatMs(report.endedAt.getTime() - report.startedAt.getTime())],
    ['sixgate', p['run.sixgate'] ?? 'unknown'],
    ['node', p['run.node'] ?? 'unknown'],
    ['target', p['run.target'] ?? 'unknown'],
    ['provider', p['run.provider'] ?? 'unknown'],
    ['modes', sel.modes.join(', ')],
    ['cells', sel.cells.length ? sel.cells.join(' ') : 'every cell'],
    [
      'shard',
      sel.shards
        ? `${sel.shards.indices.join(', ')} of ${sel.shards.count} (merged)`
        : sel.shard
          ? `${sel.shard.index}/${sel.shard.count}`
          : 'none (the whole run)',
    ],
    ['corpus', sel.corpus ? 'included' : 'not included'],
    ...Object.entries(p)
      .filter(([k]) => !known.includes(k))
      .map(([k, v]): [string, string] => [k, clip(v, MESSAGE_MAX_BYTES)]),
  ];
}

function headline(report: RunReport, totals: string): string {
  const v = report.verdict;
  if (!v) return `<h1 id="headline">${totals}</h1>`;
  const reasons = v.reasons.length
    ? `<ul id="reasons">${v.reasons.map((r) => `<li>${capped(r)}</li>`).join('')}</ul>`
    : '';
  return v.certified
    ? `<h1 id="headline" class="certified">Certified</h1>${reasons}<p>${totals}</p>`
    : `<h1 id="headline" class="refused">Not certified: ${v.reasons.length} ${v.reasons.length === 1 ? 'reason' : 'reasons'}</h1>${reasons}<p>${totals}</p>`;
}

/**
 * The run as one page: the verdict (or the totals) on the first line, a banner per cause that
 * kept a whole mode from starting, a row per cell and a column per network mode with the
 * expected outcome, status and time of each, failures first, and the run's facts.
 */
export function toHtml(report: RunReport): string {
  const { results } = report;
  const modes = [...new Set([...report.selection.modes, ...results.map((r) => r.mode)])];
  const count = (s: CellStatus) => results.filter((r) => r.status === s).length;
  const totals = ORDER.map((s) => plural(count(s), s)).join(', ');
  const blocked = blockers(results, modes);
  const all = rows(results, new Set(blocked.flatMap((b) => b.messages)));
  const f = facts(report);
  const at = (k: string) => esc(f.find(([key]) => key === k)![1]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sixgate: ${report.verdict ? (report.verdict.certified ? 'certified' : 'not certified') : totals} — ${at('target')}</title>
<style>${STYLE}</style></head><body>
${headline(report, totals)}
<p class="facts" id="facts-line">${at('target')} · ${at('date')} · ${at('duration')} · sixgate ${at('sixgate')} · Node ${at('node')} · ${at('provider')}</p>
${blocked.map((b) => banner(b, modes)).join('\n')}
<p class="legend"><span class="badge b-failed">${LABEL.failed}</span> the target broke a requirement ·
<span class="badge b-error">${LABEL.error}</span> sixgate or this machine broke, not the target ·
<span class="badge b-skipped">${LABEL.skipped}</span> not offered here, with the reason</p>
<div id="filter">${ORDER.map(
    (s) =>
      `<label><input type="checkbox" value="${s}" checked> ${PLURAL[s][1]} (${count(s)})</label>`,
  ).join('')}
<input id="q" type="search" placeholder="filter by id, title or source" aria-label="filter by id, title or source">
<span id="shown">${all.length} of ${all.length} rows shown</span></div>
<table id="cells"><thead><tr><th>cell</th>${modes.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead>
<tbody>
${all.map((r) => r.html(modes)).join('\n')}
</tbody></table>
<h2>Run facts</h2>
<table id="facts">${f.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>
<script>${SCRIPT}</script>
</body></html>
`;
}
