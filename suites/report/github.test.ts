// The GitHub Actions reporter read as the runner reads a log: a line that starts with `::` is a
// workflow command, its properties and data unescaped by GitHub's rules. Whatever a target
// wrote must neither start a command of its own nor lose characters on the way.
import { cellResult } from '../support/results.ts';
import { describe, expect, test } from 'vitest';
import {
  ANNOTATIONS_MAX,
  type CellResult,
  escapeControls,
  type RunReport,
  toGithub,
} from '../../harness/index.ts';

const cell = cellResult;

const report = (results: CellResult[]): RunReport => ({
  results,
  properties: { 'run.sixgate': '0.1.0' },
  startedAt: new Date(0),
  endedAt: new Date(1000),
  selection: { modes: ['dual-stack', 'ipv6-only'], cells: [], corpus: true },
});

interface Command {
  name: string;
  props: Record<string, string>;
  data: string;
}

/** The runner's side of the escaping (actions/runner's ActionCommand unescaping). */
const unescape = (s: string) =>
  s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');

function commands(log: string): Command[] {
  return log
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(l);
      if (!m) throw new Error(`not a workflow command: ${l}`);
      const props = Object.fromEntries(
        (m[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map((p) => {
            const eq = p.indexOf('=');
            return [p.slice(0, eq), unescape(p.slice(eq + 1))];
          }),
      );
      return { name: m[1]!, props, data: unescape(m[3]!) };
    });
}

// A message that tries to end the annotation and start commands of its own.
const HOSTILE = 'refused: 50% lost,\r\n::error::forged\n::endgroup::\n\u001b[31mred';

const results = [
  cell('a.pass', 'passed', { spec: '[::1]:54321' }),
  cell('b,fail:x', 'failed', { message: HOSTILE, observed: 'ECONNREFUSED' }),
  cell('c.error', 'error', { message: 'probe died' }),
  cell('d.skip', 'skipped', { message: 'no IPv4' }),
  cell('a.pass', 'passed', { mode: 'ipv6-only' }),
  ...[1, 2, 3].map((i) => cell(`corpus.${i}`, 'passed', { mode: 'ipv6-only', group: 'corpus' })),
];
const log = toGithub(report(results));

describe('GitHub Actions reporter', () => {
  test('folds a group per mode, a line per result, the corpus in one line', () => {
    const lines = log.split('\n');
    const group = (mode: string) => {
      const start = lines.findIndex((l) => l.startsWith(`::group::${mode}`)) + 1;
      return lines.slice(start, lines.indexOf('::endgroup::', start));
    };
    expect(commands(log).map((c) => c.name)).toEqual([
      'group',
      'endgroup',
      'group',
      'endgroup',
      'error',
      'warning',
    ]);
    expect(commands(log)[0]!.data).toBe(
      'dual-stack: 1 passed, 1 failed, 1 harness errors, 1 skipped',
    );
    expect(group('dual-stack').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'pass a.pass',
      'FAIL b,fail:x',
      'ERROR c.error',
      'skip d.skip',
    ]);
    expect(group('ipv6-only')).toEqual(['pass  a.pass', 'corpus: 3 of 3 cases agree']);
    expect(lines.at(-2)).toBe('matrix: 5 passed, 2 failed, 1 skipped');
  });

  test('a failure is an error annotation, a harness error a warning; text comes back whole', () => {
    const [error, warning] = commands(log).filter(
      (c) => c.name !== 'group' && c.name !== 'endgroup',
    );
    expect(error!.props).toEqual({ title: 'target failed: b,fail:x [dual-stack]' });
    expect(error!.data.split('\n')).toEqual([
      ...escapeControls(HOSTILE, 'keep').split('\n'),
      'expected: connects',
      'observed: ECONNREFUSED',
      'source: RFC 4007 §11',
      'repro: npx sixgate run --cell b,fail:x --mode dual-stack --keep',
    ]);
    expect(warning!.props).toEqual({ title: 'harness error: c.error [dual-stack]' });
    expect(warning!.data.split('\n')[0]).toBe('probe died');
  });

  test('nothing a target wrote starts a command or a raw control sequence', () => {
    // The group's line and the annotation carry it, each inside one line of our own.
    expect(
      log
        .split('\n')
        .filter((l) => l.includes('forged'))
        .map((l) => l.slice(0, 14)),
    ).toEqual(['FAIL  b,fail:x', '::error title=']);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(log).not.toMatch(/[\r\u001b]/);
  });

  test('annotations stop at a bound, and say how many more there were', () => {
    const many = Array.from({ length: ANNOTATIONS_MAX + 7 }, (_, i) =>
      cell(`f.${i}`, 'failed', { message: 'no' }),
    );
    const cmds = commands(toGithub(report(many)));
    expect(cmds.filter((c) => c.name === 'error')).toHaveLength(ANNOTATIONS_MAX);
    expect(cmds.filter((c) => c.name === 'notice').map((c) => c.data)).toEqual([
      '7 more results did not pass; every one is in the log above and in the reports',
    ]);
  });
});
