import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { type CellResult, type RunReport, toHtml } from '../../harness/index.ts';

const cell = (
  id: string,
  mode: 'dual-stack' | 'ipv6-only',
  status: CellResult['status'],
  extra: Partial<CellResult> = {},
): CellResult => ({
  id,
  title: `title of ${id}`,
  source: 'RFC 4007 §11',
  target: 'reference',
  mode,
  status,
  expected: 'connects',
  durationMs: 1,
  repro: [`sixgate run --cell ${id} --mode ${mode} --keep`],
  properties: {},
  ...extra,
});

const report = (results: CellResult[], extra: Partial<RunReport> = {}): RunReport => ({
  results,
  properties: {
    'run.sixgate': '0.1.0',
    'run.node': 'v20.19.0',
    'run.target': 'reference',
    'dual-stack.kernel': '6.1 <x>',
  },
  startedAt: new Date('2026-12-01T10:00:00Z'),
  endedAt: new Date('2026-12-01T10:00:45.200Z'),
  selection: { modes: ['dual-stack', 'ipv6-only'], cells: [], corpus: true },
  ...extra,
});

const html = toHtml(
  report([
    cell('local.loopback.bracketed', 'dual-stack', 'passed'),
    cell('local.loopback.bracketed', 'ipv6-only', 'failed', {
      message: 'refused <::1>',
      diagnostics: 'listeners: 0.0.0.0:54321',
    }),
    cell('zone.missing', 'dual-stack', 'skipped', { message: 'no link-local' }),
    cell('corpus.ipv6: "::1"', 'dual-stack', 'passed', { group: 'corpus' }),
    cell('corpus.ipv6: "::2"', 'dual-stack', 'passed', { group: 'corpus' }),
    cell('corpus.ipv6: "1::2::3"', 'dual-stack', 'failed', {
      group: 'corpus',
      message: 'valid: expected false',
    }),
  ]),
);

const rowIds = (page: string) =>
  [...page.matchAll(/<tr class="row" data-id="([^"]*)"/g)].map((m) => m[1]);

describe('HTML matrix', () => {
  test('a row per cell, a column per mode, failures first', () => {
    expect(html).toMatch(/<th>dual-stack<\/th><th>ipv6-only<\/th>/);
    expect(html).toMatch(
      /<code>local\.loopback\.bracketed<\/code>[\s\S]*?>✓ passed<[\s\S]*?>✗ failed</,
    );
    expect(rowIds(html)).toEqual([
      'local.loopback.bracketed',
      'corpus.ipv6: &quot;1::2::3&quot;',
      'zone.missing',
      'corpus',
    ]);
  });

  test('a failed cell shows its reason, diagnostics and repro, escaped', () => {
    expect(html).toContain('refused &lt;::1&gt;');
    expect(html).toContain('listeners: 0.0.0.0:54321');
    expect(html).toContain('sixgate run --cell local.loopback.bracketed --mode ipv6-only --keep');
    expect(html).not.toContain('<::1>');
  });

  test('passing corpus cases fold into one row; a disagreeing case keeps its own', () => {
    expect(html).toContain('2 cases agree');
    expect(html).not.toContain('corpus.ipv6: &quot;::1&quot;');
    expect(html).toContain('corpus.ipv6: &quot;1::2::3&quot;');
  });

  test('totals first, then run facts', () => {
    expect(html).toContain(
      '<h1 id="headline">2 failed, 0 harness errors, 1 skipped, 3 passed</h1>',
    );
    expect(html).toContain('<code>6.1 &lt;x&gt;</code>');
    expect(html).toContain('2026-12-01 10:00:00 UTC · 45.2 s · sixgate 0.1.0 · Node v20.19.0');
  });

  test('no banner while something started', () => {
    expect(html).not.toContain('Nothing could start');
  });

  test('a verdict replaces the totals on the first line, its reasons escaped', () => {
    const refused = toHtml(
      report([cell('a', 'dual-stack', 'skipped')], {
        verdict: { certified: false, reasons: ['a was skipped: <no link-local>'] },
      }),
    );
    expect(refused).toContain('<h1 id="headline" class="refused">Not certified: 1 reason</h1>');
    expect(refused).toContain('<li>a was skipped: &lt;no link-local&gt;</li>');
  });

  test('the only script is our own, allowed by its hash', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![1]!).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
  });
});
