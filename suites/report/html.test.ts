import { describe, expect, test } from 'vitest';
import { type CellResult, toHtml } from '../../harness/index.ts';

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

const html = toHtml(
  [
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
  ],
  { 'dual-stack.kernel': '6.1 <x>' },
);

describe('HTML matrix', () => {
  test('a row per cell, a column per mode', () => {
    expect(html).toMatch(/<th>dual-stack<\/th><th>ipv6-only<\/th>/);
    expect(html).toMatch(
      /<code>local\.loopback\.bracketed<\/code>[\s\S]*?>passed<[\s\S]*?>failed</,
    );
  });

  test('a failed cell unfolds to its reason, diagnostics and repro, escaped', () => {
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

  test('totals and run facts', () => {
    expect(html).toContain('3 passed, 2 failed, 0 harness errors, 1 skipped');
    expect(html).toContain('<code>6.1 &lt;x&gt;</code>');
  });
});
