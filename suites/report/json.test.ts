// results.json: written by renderJson, read back by readResults against the shipped schema
// (schemas/results.schema.json) — a round trip that keeps every field, and a refusal that names
// the file, the JSON path and the rule for each way a file can be wrong.
import { cellResult } from '../support/results.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type CellResult,
  MESSAGE_MAX_BYTES,
  readResults,
  readResultsFile,
  renderJson,
  ResultsFileError,
  RESULTS_SCHEMA_ID,
  type RunReport,
} from '../../harness/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cell = (id: string, status: CellResult['status'], extra: Partial<CellResult> = {}) =>
  cellResult(id, status, { properties: { 'cell.source': 'RFC 4007 §11' }, ...extra });

const report: RunReport = {
  results: [
    cell('a.pass', 'passed', { observed: 'ok', spec: '[::1]:54321', identity: '::1' }),
    cell('b.fail', 'failed', { message: 'refused', diagnostics: 'log\nlines' }),
    cell('c.error', 'error', { message: 'probe died' }),
    cell('d.skip', 'skipped', { message: 'no IPv4' }),
    cell('corpus.x', 'passed', { mode: 'ipv6-only', group: 'corpus' }),
  ],
  properties: { 'run.sixgate': '0.1.0', 'run.node': 'v20.19.0', 'run.target': 'reference' },
  startedAt: new Date('2026-12-01T10:00:00.000Z'),
  endedAt: new Date('2026-12-01T10:00:45.200Z'),
  selection: {
    modes: ['dual-stack', 'ipv6-only'],
    cells: ['peer.*'],
    shard: { index: 2, count: 4 },
    corpus: true,
  },
  verdict: { certified: false, reasons: ['b.fail failed'] },
};

const text = renderJson(report);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents broken on purpose
type Doc = Record<string, any>;
const doc = () => JSON.parse(text) as Doc;

/** The error a broken document gives, as `path rule`. */
function refusal(mutate: (d: Doc) => void): string {
  const d = doc();
  mutate(d);
  try {
    readResults(JSON.stringify(d), 'r.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ResultsFileError);
    const e = err as ResultsFileError;
    expect(e.code).toBe('SIXGATE_RESULTS');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`r.json: ${e.path} ${e.rule}`);
    return `${e.path} ${e.rule}`;
  }
  throw new Error('the broken document was accepted');
}

describe('results.json', () => {
  test('carries the format, the versions, the run and totals that add up', () => {
    const d = doc();
    expect(Object.keys(d)).toEqual([
      '$schema',
      'format',
      'sixgate',
      'startedAt',
      'endedAt',
      'selection',
      'properties',
      'verdict',
      'totals',
      'results',
    ]);
    expect(d.$schema).toBe(RESULTS_SCHEMA_ID);
    expect(d.format).toBe(1);
    expect(d.sixgate).toBe('0.1.0');
    expect(d.startedAt).toBe('2026-12-01T10:00:00.000Z');
    expect(d.totals).toEqual({ passed: 2, failed: 1, error: 1, skipped: 1, total: 5 });
    expect(d.results[0]).toEqual({
      id: 'a.pass',
      title: 'title of a.pass',
      source: 'RFC 4007 §11',
      target: 'reference',
      mode: 'dual-stack',
      status: 'passed',
      expected: 'connects',
      observed: 'ok',
      spec: '[::1]:54321',
      identity: '::1',
      durationMs: 3,
      repro: ['npx sixgate run --cell a.pass --mode dual-stack --keep'],
      properties: { 'cell.source': 'RFC 4007 §11' },
    });
  });

  test('reads back as the same report, Dates restored', () => {
    expect(readResults(text, 'r.json')).toEqual(report);
  });

  test('caps what a target filled, as every report does', () => {
    const huge = 'x'.repeat(MESSAGE_MAX_BYTES * 4);
    const r = readResults(
      renderJson({ ...report, results: [cell('b.fail', 'failed', { message: huge })] }),
      'r.json',
    );
    expect(Buffer.byteLength(r.results[0]!.message!)).toBeLessThan(MESSAGE_MAX_BYTES + 64);
    expect(r.results[0]!.message).toMatch(/\[… \d+ bytes cut\]$/);
  });

  test('the shipped schema alone, in any 2020-12 validator, accepts what we write', () => {
    // Not our reader: the schema file as a vendor's own tooling would load it.
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../schemas/results.schema.json'), 'utf8'),
    ) as { $id: string; $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(RESULTS_SCHEMA_ID);
    const check = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(check(doc())).toBe(true);
    const broken = doc();
    broken.results[3].status = 'flaky';
    delete broken.results[0].repro;
    expect(check(broken)).toBe(false);
    expect(check.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual([
      '/results/0 required',
      '/results/3/status enum',
    ]);
  });

  test('each way a document can be wrong is refused with its path and rule', () => {
    expect([
      refusal((d) => (d.results[1].status = 'flaky')),
      refusal((d) => delete d.results[0].id),
      refusal((d) => (d.results[2].colour = 'red')),
      refusal((d) => (d.format = 2)),
      refusal((d) => (d.$schema = 'urn:other')),
      refusal((d) => (d.startedAt = 'yesterday')),
      refusal((d) => (d.startedAt = '2026-13-45T10:00:00Z')),
      refusal((d) => (d.endedAt = '2026-12-01T09:00:00.000Z')),
      refusal((d) => (d.totals.failed = 5)),
      refusal((d) => (d.totals.total = 4)),
      refusal((d) => d.results.push({ ...d.results[1] })),
      refusal((d) => delete d.results[3].message),
      refusal((d) => (d.results[0].mode = 'ipv4-only')),
      refusal((d) => (d.properties['run.node'] = 20)),
      refusal((d) => (d.properties['run.sixgate'] = '9.9.9')),
      refusal((d) => (d.selection.shard = { index: 0, count: 4 })),
      refusal((d) => (d.verdict = { certified: 'yes', reasons: [] })),
    ]).toEqual([
      'results[1].status must be one of "passed", "failed", "error", "skipped"',
      'results[0].id is required',
      'results[2].colour is not a known field of this format',
      'format must be 1',
      `$schema must be "${RESULTS_SCHEMA_ID}"`,
      'startedAt must match pattern "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$"',
      'startedAt is not a real date and time',
      'endedAt must not be before startedAt (2026-12-01T10:00:00.000Z)',
      'totals.failed must equal the number of failed results (1); it is 5',
      'totals.total must equal the number of results (5); it is 4',
      // The copy also breaks the totals; a repeated result is refused all the same, first found.
      'totals.failed must equal the number of failed results (2); it is 1',
      'results[3].message is required',
      'results[0].mode must be one of "dual-stack", "ipv6-only"',
      'properties["run.node"] must be string',
      'properties["run.sixgate"] must equal sixgate (0.1.0); it is 9.9.9',
      'selection.shard.index must be >= 1',
      'verdict.certified must be boolean',
    ]);
  });

  test('a repeated result is refused, naming both places', () => {
    expect(
      refusal((d) => {
        d.results.push({ ...d.results[0] });
        d.totals.passed++;
        d.totals.total++;
      }),
    ).toBe('results[5] repeats id a.pass in mode dual-stack (first at results[0])');
  });

  test('text that is not JSON is refused naming the file', () => {
    expect(() => readResults('{"format": 1,', 'r.json')).toThrow(
      /^r\.json: \(file\) is not JSON: /,
    );
  });

  describe('from a file', () => {
    test('reads a results file', () => {
      const file = join(dir, 'ok.json');
      writeFileSync(file, text);
      expect(readResultsFile(file)).toEqual(report);
    });

    test('refuses what is not a regular file of bounded size, at once', () => {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const folder = join(dir, 'folder');
      mkdirSync(folder);
      const big = join(dir, 'big.json');
      writeFileSync(big, text);
      const why = (file: string, max?: number) => {
        try {
          readResultsFile(file, max);
        } catch (err) {
          return (err as ResultsFileError).message.replace(dir, 'DIR');
        }
        return 'accepted';
      };
      expect([
        why(fifo),
        why(folder),
        why(big, 100),
        why(join(dir, 'missing.json')).replace(/: ENOENT.*/, ': ENOENT'),
      ]).toEqual([
        'DIR/fifo: (file) must be a regular file',
        'DIR/folder: (file) must be a regular file',
        `DIR/big.json: (file) must be at most 100 bytes; it has ${Buffer.byteLength(text)}`,
        'DIR/missing.json: (file) cannot be read: ENOENT',
      ]);
    });
  });
});
