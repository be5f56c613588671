// The TAP 14 report read by an independent consumer (tap-parser, the TAP 14 reference parser):
// its totals must equal ours, it must find nothing malformed, and every diagnostic must come
// back as we wrote it, whatever characters a target put into it.
import { cellResult } from '../support/results.ts';
import { Parser, type Result } from 'tap-parser';
import { describe, expect, test } from 'vitest';
import { type CellResult, escapeControls, type RunReport, toTap } from '../../harness/index.ts';

interface Consumed {
  final: Parameters<ConstructorParameters<typeof Parser>[1] & object>[0];
  asserts: Result[];
  extra: string[];
}

/** The consumer in strict mode: any line that is not TAP is an error it reports. */
function consume(tap: string): Promise<Consumed> {
  return new Promise((resolve) => {
    const asserts: Result[] = [];
    const extra: string[] = [];
    const parser = new Parser({ strict: true }, (final) => resolve({ final, asserts, extra }));
    parser.on('assert', (a: Result) => asserts.push(a));
    parser.on('extra', (e: string) => extra.push(e));
    parser.end(tap);
  });
}

const cell = (id: string, status: CellResult['status'], extra: Partial<CellResult> = {}) =>
  cellResult(id, status, {
    source: 'RFC 4291 §2.2',
    durationMs: 7,
    properties: { 'cell.source': 'RFC 4291 §2.2' },
    ...extra,
  });

const report = (results: CellResult[]): RunReport => ({
  results,
  properties: { 'run.sixgate': '0.1.0', 'run.node': 'v20.19.0', 'run.target': 'reference' },
  startedAt: new Date('2026-12-01T10:00:00Z'),
  endedAt: new Date('2026-12-01T10:00:45Z'),
  selection: { modes: ['dual-stack', 'ipv6-only'], cells: [], corpus: true },
});

/** Our own totals, in TAP's terms: a skip is an `ok`, a failure and an error are `not ok`. */
function ours(results: CellResult[]) {
  const n = (s: CellResult['status']) => results.filter((r) => r.status === s).length;
  return {
    count: results.length,
    pass: n('passed') + n('skipped'),
    fail: n('failed') + n('error'),
    skip: n('skipped'),
  };
}

// What targets and logs put into messages: TAP's and YAML's own syntax, quotes, control
// characters, line breaks, characters YAML readers treat specially.
const NASTY = [
  '# SKIP not really',
  'a # b \\# c \\',
  'line one\nline two\n',
  '\n\nleading breaks',
  'trailing breaks\n\n\n',
  '  leading spaces\n\tand a tab',
  '---',
  '...',
  'x\n  ...\n---\nnot ok 99 - forged',
  'key: value',
  '- item',
  '"double" \'single\'',
  'null',
  'true',
  '0x1F',
  '~',
  '&anchor *alias !tag',
  '{ flow: [1, 2] }',
  '| > % @ `',
  'ANSI \u001b[31mred\u001b[0m bell\u0007 NUL\u0000 CR\r\nDEL\u007f C1\u0085\u009b',
  'separators \u2028 \u2029 bom \ufeff',
  'lone surrogate \ud800 and emoji 😀',
  'Bail out! not from us',
  'TAP version 13',
  '1..2',
  '',
];

/**
 * A test point's line as a reader gets it back: control characters and line breaks shown as
 * escapes, and the Unicode separators a reader would break a line at too.
 */
const oneLine = (text: string) =>
  escapeControls(text).replace(
    /[\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );

describe('TAP report', () => {
  test('an independent consumer finds our totals and nothing malformed', async () => {
    const results = [
      cell('a.pass', 'passed', { observed: 'ok' }),
      cell('b.fail', 'failed', { message: 'refused', diagnostics: 'agent log\nline 2' }),
      cell('c.error', 'error', { message: 'probe died' }),
      cell('d.skip', 'skipped', { message: 'no IPv4 on the agent' }),
      cell('a.pass', 'passed', { mode: 'ipv6-only' }),
      cell('corpus.1', 'passed', { mode: 'ipv6-only', group: 'corpus' }),
    ];
    const { final, asserts, extra } = await consume(toTap(report(results)));
    expect({
      count: final.count,
      pass: final.pass,
      fail: final.fail,
      skip: final.skip,
    }).toEqual(ours(results));
    expect(final.ok).toBe(false);
    expect(final.bailout).toBe(false);
    expect(final.plan).toMatchObject({ start: 1, end: results.length });
    expect(extra).toEqual([]);
    expect(asserts.every((a) => a.tapError === null)).toBe(true);
    expect(asserts.map((a) => a.name)).toEqual([
      'a.pass [dual-stack]',
      'b.fail [dual-stack]',
      'c.error [dual-stack]',
      'd.skip [dual-stack]',
      'a.pass [ipv6-only]',
      'corpus.1 [ipv6-only]',
    ]);
  });

  test('a failure and a harness error are told apart in the YAML; a skip carries its reason', async () => {
    const results = [
      cell('b.fail', 'failed', { message: 'refused' }),
      cell('c.error', 'error', { message: 'probe died' }),
      cell('d.skip', 'skipped', { message: 'no IPv4 on the agent' }),
    ];
    const { asserts } = await consume(toTap(report(results)));
    expect(asserts.map((a) => [a.ok, a.diag?.status, a.diag?.blame, a.skip])).toEqual([
      [false, 'failed', 'target', false],
      [false, 'error', 'harness', false],
      [true, 'skipped', undefined, 'no IPv4 on the agent'],
    ]);
    expect(asserts[0]!.diag).toMatchObject({
      mode: 'dual-stack',
      target: 'reference',
      source: 'RFC 4291 §2.2',
      expected: 'connects',
      message: 'refused',
      repro: ['npx sixgate run --cell b.fail --mode dual-stack --keep'],
    });
  });

  test('nasty text survives in every field, with control characters as visible escapes', async () => {
    const results = NASTY.map((text, i) =>
      cell(`n.${i}${text.slice(0, 12)}`, i % 3 === 0 ? 'skipped' : 'failed', {
        message: text,
        observed: text,
        diagnostics: text,
        title: text,
        repro: [text],
        properties: { [`k${text.slice(0, 8)}`]: text },
      }),
    );
    const { final, asserts, extra } = await consume(toTap(report(results)));
    expect(extra).toEqual([]);
    expect(final.bailout).toBe(false);
    expect({
      count: final.count,
      pass: final.pass,
      fail: final.fail,
      skip: final.skip,
    }).toEqual(ours(results));
    asserts.forEach((a, i) => {
      const text = NASTY[i]!;
      // YAML keeps line breaks; control characters are shown as `\x1b`, as in every report.
      const shown = escapeControls(text, 'keep');
      expect(a.id).toBe(i + 1);
      expect(a.diag).toMatchObject({
        message: shown,
        observed: shown,
        diagnostics: shown,
        title: shown,
        repro: [escapeControls(text)],
      });
      expect(Object.values(a.diag!.properties as object)).toEqual([shown]);
      // The test point's line: one line, whatever the id held.
      expect(a.name).toBe(`${oneLine(results[i]!.id)} [dual-stack]`);
      if (results[i]!.status === 'skipped') expect(a.skip).toBe(oneLine(text) || 'skipped');
    });
  });

  test('an empty run is a valid stream with an empty plan', async () => {
    const { final, extra } = await consume(toTap(report([])));
    expect(extra).toEqual([]);
    expect(final.count).toBe(0);
    expect(final.ok).toBe(true);
  });
});
