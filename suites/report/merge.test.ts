// `sixgate merge`: the results.json files of a sharded run (built here, as three CI runners would
// have written them) joined into one report; every way the files cannot be one run refused with
// exit 2, naming the files, and nothing written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CELLS,
  type CellResult,
  type Io,
  main,
  readResultsFile,
  renderJson,
  type RunReport,
} from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IDS = CELLS.slice(0, 6).map((c) => c.id);
const MODES = ['dual-stack', 'ipv6-only'] as const;

const result = (
  id: string,
  mode: CellResult['mode'],
  status: CellResult['status'] = 'passed',
  target = 'reference',
): CellResult => ({
  id,
  title: `title of ${id}`,
  source: 'seed',
  target,
  mode,
  status,
  expected: 'connects',
  durationMs: 5,
  repro: [],
  properties: {},
  ...(status === 'skipped' ? { message: 'no IPv4' } : {}),
});

/** Shard I of N as `run --shard I/N` deals it: every N-th cell, both modes of each. */
function shard(
  index: number,
  count: number,
  opts: { failing?: string; node?: string; sixgate?: string; target?: string; start?: number } = {},
): RunReport {
  const ids = IDS.filter((_, i) => i % count === index - 1);
  return {
    results: MODES.flatMap((mode) =>
      ids.map((id) => result(id, mode, id === opts.failing ? 'failed' : 'passed', opts.target)),
    ),
    properties: {
      'run.sixgate': opts.sixgate ?? '0.1.0',
      'run.node': opts.node ?? 'v20.19.0',
      'run.target': opts.target ?? 'reference',
      'run.provider': 'docker (socket)',
    },
    startedAt: new Date(Date.UTC(2026, 11, 1, 10, 0, opts.start ?? index)),
    endedAt: new Date(Date.UTC(2026, 11, 1, 10, 1, 10 * index)),
    selection: { modes: [...MODES], cells: [], shard: { index, count }, corpus: false },
  };
}

function write(name: string, report: RunReport): string {
  const file = join(dir, name);
  writeFileSync(file, renderJson(report));
  return file;
}

async function merge(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: process.stdin,
  };
  const code = await main(['merge', ...args], io);
  return { code, stdout, stderr: stderr.replaceAll(`${dir}/`, '') };
}

const s1 = write('s1.json', shard(1, 3));
const s2 = write('s2.json', shard(2, 3, { failing: IDS[1], node: 'v22.12.0' }));
const s3 = write('s3.json', shard(3, 3));

describe('sixgate merge', () => {
  test('all shards of a split give back one whole run, end to end through the CLI', async () => {
    const out = join(dir, 'whole');
    const r = await sixgate([
      'merge',
      s3,
      s1,
      s2,
      '--reporter',
      `json=${out}/results.json`,
      '--reporter',
      `junit=${out}/junit.xml`,
      '--reporter',
      `tap=${out}/results.tap`,
      '--reporter',
      'console',
    ]);
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'results.json', 'results.tap']);
    expect(r.stdout).toContain('matrix: 10 passed, 2 failed, 0 skipped');
    const merged = readResultsFile(join(out, 'results.json'));
    expect(merged.selection).toEqual({ modes: [...MODES], cells: [], corpus: false });
    expect(merged.startedAt.toISOString()).toBe('2026-12-01T10:00:01.000Z');
    expect(merged.endedAt.toISOString()).toBe('2026-12-01T10:01:30.000Z');
    // Mode first, then the table's order, whatever order the files came in.
    expect(merged.results.map((x) => `${x.mode} ${x.id}`)).toEqual(
      MODES.flatMap((m) => IDS.map((id) => `${m} ${id}`)),
    );
    // What the runners agree on stays as it is; what differs is kept per shard.
    expect(merged.properties).toEqual({
      'run.sixgate': '0.1.0',
      'run.target': 'reference',
      'run.provider': 'docker (socket)',
      'shard1.run.node': 'v20.19.0',
      'shard2.run.node': 'v22.12.0',
      'shard3.run.node': 'v20.19.0',
      'merge.files': '3',
    });
    expect(merged.verdict).toBeUndefined();
    // The JUnit's time is the merged run's wall time: first start to last end.
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(
      /<testsuites name="sixgate" tests="12" failures="2" errors="0" time="89.000">/,
    );
  });

  test('some of the shards say which they are; all passing exits 0', async () => {
    const json = join(dir, 'part.json');
    const r = await merge([s3, s1, '--reporter', `json=${json}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('sixgate merge: json: part.json\n');
    const merged = readResultsFile(json);
    expect(merged.selection).toEqual({
      modes: [...MODES],
      cells: [],
      shards: { indices: [1, 3], count: 3 },
      corpus: false,
    });
    expect(merged.results).toHaveLength(8);
    // A merge of merges: the parts it holds are tracked through it.
    const again = join(dir, 'again.json');
    expect((await merge([json, s2, '--reporter', `json=${again}`])).code).toBe(1);
    expect(readResultsFile(again).selection).toEqual({
      modes: [...MODES],
      cells: [],
      corpus: false,
    });
  });

  test('files that cannot be one run are refused, naming the files, and nothing is written', async () => {
    const other = write('other-target.json', shard(2, 3, { target: 'broken-no-ipv6' }));
    const newer = write('newer.json', shard(2, 3, { sixgate: '0.2.0' }));
    const split4 = write('split4.json', shard(2, 4));
    const whole = write('whole.json', {
      ...shard(1, 1),
      selection: { modes: [...MODES], cells: [], corpus: false },
    });
    const twice = write('twice.json', shard(1, 3, { start: 9 }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, renderJson(shard(2, 3)).replace('"status": "passed"', '"status": "flaky"'));
    const out = join(dir, 'refused');
    const refused = async (...files: string[]) => {
      const r = await merge([...files, '--reporter', `json=${out}/r.json`]);
      expect(r.code).toBe(2);
      return r.stderr.split('\n')[0];
    };
    expect([
      await refused(s1, other),
      await refused(s1, newer),
      await refused(s1, split4),
      await refused(s1, whole),
      await refused(s1, twice),
      await refused(s1, s1),
      await refused(s1, bad),
    ]).toEqual([
      'error: sixgate merge: s1.json and other-target.json have different targets (reference; broken-no-ipv6) (SIXGATE_MERGE)',
      'error: sixgate merge: s1.json and newer.json have different sixgate versions (0.1.0; 0.2.0) (SIXGATE_MERGE)',
      'error: sixgate merge: s1.json and split4.json have different shard counts (--shard I/N) (3; 4) (SIXGATE_MERGE)',
      `error: sixgate merge: s1.json and whole.json both hold ${IDS[0]} [dual-stack]: the results overlap (SIXGATE_MERGE)`,
      `error: sixgate merge: s1.json and twice.json both hold ${IDS[0]} [dual-stack]: the results overlap (SIXGATE_MERGE)`,
      `error: sixgate merge: s1.json and s1.json both hold ${IDS[0]} [dual-stack]: the results overlap (SIXGATE_MERGE)`,
      'error: bad.json: results[0].status must be one of "passed", "failed", "error", "skipped" (SIXGATE_RESULTS)',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  test('shards of one split must agree on modes and --cell patterns', async () => {
    const oneMode = shard(2, 3);
    oneMode.selection.modes = ['dual-stack'];
    oneMode.results = oneMode.results.filter((r) => r.mode === 'dual-stack');
    const r = await merge([s1, write('one-mode.json', oneMode)]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: sixgate merge: s1.json and one-mode.json have different modes (dual-stack,ipv6-only; dual-stack) (SIXGATE_MERGE)',
    );
  });

  test('a mistyped reporter, two reporters on one file, or no file is a usage error', async () => {
    const json = join(dir, 'same.json');
    const results = [
      await merge([s1, '--reporter', 'jsno']),
      await merge([s1, '--reporter', `json=${json}`, '--reporter', `tap=${json}`]),
      await merge([]),
    ];
    expect(results.map((r) => [r.code, r.stderr.split('\n')[0]])).toEqual([
      [
        2,
        "error: --reporter: no reporter named 'jsno'; did you mean 'json'? (known: console, junit, html, tap, json, github) (SIXGATE_USAGE)",
      ],
      [
        2,
        'error: --reporter: json=same.json and tap=same.json would both write same.json (SIXGATE_USAGE)',
      ],
      [2, 'error: sixgate merge: name the results.json files to merge (SIXGATE_USAGE)'],
    ]);
    expect(existsSync(json)).toBe(false);
  });
});
