// docs/ci.md cannot drift from the CLI: every `npx sixgate …` line on the page is run here as
// the CI system would run it (its variables filled in, CI=true), in an empty folder, and must
// exit 0 with the files the next step of that job reads.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const page = await readFile(new URL('../../docs/ci.md', import.meta.url), 'utf8');

/** Each command as written on the page, in page order, with the system it belongs to. */
function commands(): Array<{ system: string; line: string }> {
  const out: Array<{ system: string; line: string }> = [];
  let system = '';
  let fenced = false;
  for (const text of page.split('\n')) {
    if (text.startsWith('```')) fenced = !fenced;
    const heading = /^## (.+)/.exec(text);
    if (heading) system = heading[1]!;
    const m = fenced && /npx sixgate ([^'\n]+)/.exec(text);
    if (m) out.push({ system, line: m[1]!.trim() });
  }
  return out;
}

const expand = (line: string, vars: Record<string, string>) =>
  line.replace(/\$\{\{ matrix\.shard \}\}|\$CI_NODE_INDEX|\$CI_NODE_TOTAL/g, (v) => vars[v]!);

const run = (cwd: string, args: string[]) =>
  sixgate(args, { ...process.env, CI: 'true' }, { timeoutMs: LIMIT, cwd });

/** A whole run, two at a time on a loaded CI machine. */
const LIMIT = 600_000;

const totals = (xml: string) => Number(/<testsuites[^>]*\btests="(\d+)"/.exec(xml)?.[1]);

describe.skipIf(dockerReason)(dockerTitle('docs/ci.md'), () => {
  let dir: string;
  const all = commands();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sixgate-ci-doc-'));
    await mkdir(join(dir, 'sixgate'));
    // The vendor's profile, as a profile naming the reference agent program.
    await writeFile(
      join(dir, 'sixgate/profile.json'),
      '{ "name": "acme", "agent": { "program": "agent" } }\n',
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has commands for every system, with no quoting a test would have to guess', () => {
    expect(new Set(all.map((c) => c.system))).toEqual(
      new Set(['GitHub Actions', 'GitLab CI', 'Jenkins', "A vendor's certification in CI"]),
    );
    for (const c of all) expect(c.line).not.toMatch(/["'`\\]/);
  });

  it(
    'GitHub Actions: both shards, then the merge of their results',
    async () => {
      const [shard, merge] = all.filter((c) => c.system === 'GitHub Actions');
      const runs = await Promise.all(
        ['1', '2'].map((i) =>
          run(dir, expand(shard!.line, { '${{ matrix.shard }}': i }).split(/\s+/)),
        ),
      );
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^::group::/m);
      }
      // upload-artifact of reports/, then download-artifact into shards/ (merge-multiple).
      await mkdir(join(dir, 'shards'), { recursive: true });
      for (const i of ['1', '2'])
        await copyFile(join(dir, `reports/shard-${i}.json`), join(dir, `shards/shard-${i}.json`));
      const merged = await run(dir, merge!.line.split(/\s+/));
      expect(merged.code, merged.stderr).toBe(0);
      const shardTotals = await Promise.all(
        ['1', '2'].map(
          async (i) =>
            JSON.parse(await readFile(join(dir, `shards/shard-${i}.json`), 'utf8')).totals.total,
        ),
      );
      const xml = await readFile(join(dir, 'reports/junit.xml'), 'utf8');
      expect(totals(xml)).toBe(shardTotals[0] + shardTotals[1]);
      await readFile(join(dir, 'reports/matrix.html'), 'utf8');
    },
    LIMIT,
  );

  it(
    'GitLab CI: each parallel job writes its JUnit and its shard results',
    async () => {
      const [job] = all.filter((c) => c.system === 'GitLab CI');
      for (const i of ['1', '2']) {
        const r = await run(
          dir,
          expand(job!.line, { $CI_NODE_INDEX: i, $CI_NODE_TOTAL: '2' }).split(/\s+/),
        );
        expect(r.code, r.stderr).toBe(0);
        const xml = await readFile(join(dir, 'reports/junit.xml'), 'utf8');
        const json = JSON.parse(await readFile(join(dir, `reports/shard-${i}.json`), 'utf8'));
        expect(totals(xml)).toBe(json.totals.total);
      }
    },
    LIMIT,
  );

  it(
    'Jenkins: the whole run writes JUnit, HTML and TAP',
    async () => {
      const [job] = all.filter((c) => c.system === 'Jenkins');
      const r = await run(dir, job!.line.split(/\s+/));
      expect(r.code, r.stderr).toBe(0);
      const tap = await readFile(join(dir, 'reports/results.tap'), 'utf8');
      expect(tap).toMatch(/^TAP version 14/);
      expect(totals(await readFile(join(dir, 'reports/junit.xml'), 'utf8'))).toBe(
        Number(/^1\.\.(\d+)/m.exec(tap)?.[1]),
      );
    },
    LIMIT,
  );

  it(
    "a vendor's certification: certify, then verify the archive",
    async () => {
      const [certify, verify] = all.filter((c) => c.system === "A vendor's certification in CI");
      const c = await run(dir, certify!.line.split(/\s+/));
      expect(c.code, c.stdout + c.stderr).toBe(0);
      const v = await run(dir, verify!.line.split(/\s+/));
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/verified: certified/);
    },
    LIMIT,
  );
});
