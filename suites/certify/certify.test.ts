// `sixgate certify` and `sixgate verify`, end to end: one real certify run of a profile that is
// the reference agent and engine, and one of a profile whose agent is a shipped broken program,
// each shared by the tests of its block. verify must accept what certify wrote, refuse every
// tampering with the reason that names it, and refuse what is not a bundle.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  cpSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync, createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILES,
  BUNDLE_LIMITS,
  CELLS,
  dockerClient,
  dockerFacts,
  ENGINE_CELLS,
  ensureImage,
  main,
  MANIFEST,
  type Io,
} from '../../harness/index.ts';
import { leftovers } from '../attribution/fault-run.ts';
import { sixgate, type CliResult } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { tarball } from '../support/tar.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sixgate-certify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A whole certify run on a loaded runner takes minutes; the test's own limit is above it. */
const CERTIFY_LIMIT_MS = 600_000;

/** `sixgate certify` as a vendor calls it: a separate process, its exit code and output. */
const certify = (args: string[]) =>
  sixgate(['certify', ...args], process.env, { timeoutMs: CERTIFY_LIMIT_MS - 30_000 });

/** `sixgate verify` in-process (the same command code, cheap enough to call per tampering). */
async function verify(bundle: string): Promise<{ code: number; out: string; problems: string[] }> {
  let out = '';
  const io: Io = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    stdin: process.stdin,
  };
  const code = await main(['verify', bundle], io);
  const problems = [...out.matchAll(/^ {2}- (.*)$/gm)].map((m) => m[1]!);
  return { code, out, problems };
}

let copies = 0;
/** A fresh copy of a bundle folder to tamper with. */
function copyOf(bundle: string): string {
  const to = join(dir, `copy-${copies++}`);
  cpSync(bundle, to, { recursive: true });
  return to;
}

/** Every file of a folder, relative, sorted. */
function filesOf(folder: string): string[] {
  return (
    readdirSync(folder, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]
  )
    .filter((e) => e.isFile())
    .map((e) => relative(folder, join(e.parentPath, e.name)))
    .sort();
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** What a forger does after editing a file: its line in MANIFEST.sha256 recomputed. */
function reseal(folder: string, ...paths: string[]): void {
  const manifest = join(folder, MANIFEST);
  let text = readFileSync(manifest, 'utf8');
  for (const p of paths)
    text = text.replace(
      new RegExp(`^[0-9a-f]{64} {2}${p.replace(/\./g, '\\.')}$`, 'm'),
      `${sha(readFileSync(join(folder, p)))}  ${p}`,
    );
  writeFileSync(manifest, text);
}

interface Doc {
  totals: Record<string, number>;
  verdict: { certified: boolean; reasons: string[] };
  results: Array<{ id: string; mode: string; status: string; message?: string }>;
}
const readDoc = (folder: string) =>
  JSON.parse(readFileSync(join(folder, BUNDLE_FILES.results), 'utf8')) as Doc;
/** results.json rewritten with its totals recounted, as a careful forger would. */
function writeDoc(folder: string, doc: Doc): void {
  for (const s of ['passed', 'failed', 'error', 'skipped'])
    doc.totals[s] = doc.results.filter((r) => r.status === s).length;
  doc.totals.total = doc.results.length;
  writeFileSync(join(folder, BUNDLE_FILES.results), `${JSON.stringify(doc, null, 2)}\n`);
}

const TABLE = [...CELLS, ...ENGINE_CELLS].map((c) => c.id);
/** `N results failed: id [mode], …` in the report's order: by mode, then table order. */
function failedReason(cells: Array<[string, string]>): string {
  const sorted = [...cells].sort(
    ([a, ma], [b, mb]) => ma.localeCompare(mb) || TABLE.indexOf(a) - TABLE.indexOf(b),
  );
  return `${cells.length} results failed: ${sorted.map(([id, m]) => `${id} [${m}]`).join(', ')}`;
}

describe('certify refuses a partial run before anything starts', () => {
  const profile = join(dir, 'usage.json');
  writeFileSync(profile, JSON.stringify({ name: 'usage-check' }));
  const cases: Array<[string[], RegExp]> = [
    [['--cell', 'peer.ula.bare'], /--cell: certify runs the whole conformance set in both modes/],
    [['--mode', 'ipv6-only'], /--mode: certify runs the whole conformance set/],
    [['--shard', '1/2'], /--shard: certify runs the whole conformance set/],
    [['--target', 'broken-v6only'], /--target: certify takes a vendor --profile/],
    [['--out', dir], /--out: .* exists; certify writes a new bundle/],
    // Every provider of the registry is a choice: Podman's is taken, and parsing goes on.
    [['--provider', 'podman', '--out', dir], /--out: .* exists; certify writes a new bundle/],
    [['--provider', 'nope'], /--provider must be one of auto, docker, podman, local; got 'nope'/],
  ];
  it.each(cases)('certify %j exits 2 naming the reason, writing nothing', async (args, why) => {
    let err = '';
    const io: Io = {
      stdout: () => undefined,
      stderr: (t) => void (err += t),
      stdin: process.stdin,
    };
    const before = readdirSync(dir).sort();
    expect(await main(['certify', '--profile', profile, ...args], io)).toBe(2);
    expect(err).toMatch(why);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe.skipIf(dockerReason)(dockerTitle('a certify run of the reference target'), () => {
  const profile = join(dir, 'ref-profile.json');
  const name = `certref-${process.pid}`;
  // Spaces and a field order of the vendor's own: the bundle keeps the file byte for byte.
  const given = `{\n  "name": "${name}",\n  "agent": { "program": "agent" }\n}\n`;
  const bundle = join(dir, 'reference');
  let r: CliResult;
  beforeAll(async () => {
    writeFileSync(profile, given);
    r = await certify(['--profile', profile, '--out', bundle]);
  }, CERTIFY_LIMIT_MS);
  const output = () => `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`;

  it('is certified; the bundle holds every file, sha256sum -c agrees, nothing is left on Docker', async () => {
    expect(r.code, output()).toBe(0);
    expect(r.stdout).toContain(`certified: ${name}\nbundle: ${bundle}\n        ${bundle}.tar.gz\n`);
    const files = filesOf(bundle);
    const logs = files.filter((f) => f.startsWith('logs/'));
    expect(files).toEqual([...Object.values(BUNDLE_FILES), MANIFEST, ...logs].sort());
    // Both modes, the vendor's agents and the control arm's, the engine and the peer.
    for (const mode of ['dual-stack', 'ipv6-only'])
      expect(
        logs.filter((l) => l.startsWith(`logs/${mode}/`)).length,
        logs.join('\n'),
      ).toBeGreaterThanOrEqual(4);
    const check = await run('sha256sum', ['-c', '--strict', MANIFEST], { cwd: bundle });
    expect(check.stdout.trim().split('\n')).toEqual(
      files.filter((f) => f !== MANIFEST).map((f) => `${f}: OK`),
    );
    expect(readFileSync(join(bundle, BUNDLE_FILES.profile), 'utf8')).toBe(given);
    const doc = readDoc(bundle);
    expect(doc.verdict).toEqual({ certified: true, reasons: [] });
    expect(readFileSync(join(bundle, BUNDLE_FILES.html), 'utf8')).toMatch(
      /<h1 id="headline"[^>]*>Certified<\/h1>/,
    );
    expect(await leftovers(r.pid)).toEqual([]);
  });

  it('environment.json records this sixgate, Node, Docker, kernel, sysctls, images and times', async () => {
    const env = JSON.parse(readFileSync(join(bundle, BUNDLE_FILES.environment), 'utf8'));
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const facts = await dockerFacts(dockerClient());
    expect(env.sixgate.version).toBe(pkg.version);
    // The lead may commit while a run goes: the recorded commit is HEAD or one before it.
    expect(env.sixgate.commit).toMatch(/^[0-9a-f]{40}$/);
    await run('git', ['merge-base', '--is-ancestor', env.sixgate.commit, 'HEAD']);
    expect(env.node.version).toBe(process.version);
    expect(env.containerEngine).toMatchObject({
      name: 'docker',
      version: facts.engine,
      apiVersion: facts.apiVersion,
    });
    expect(env.kernel.release).toBe(release());
    const proc = (p: string) => readFileSync(`/proc/sys/${p}`, 'utf8').trim();
    expect(env.sysctls['net.ipv6.conf.all.disable_ipv6']).toBe(
      proc('net/ipv6/conf/all/disable_ipv6'),
    );
    expect(env.sysctls['net.ipv6.conf.default.accept_dad']).toBe(
      proc('net/ipv6/conf/default/accept_dad'),
    );
    // The sixgate image ran the agents (program "agent") and the control arm: its id is recorded.
    const { tag } = await ensureImage(dockerClient());
    const id = (await dockerClient().getImage(tag).inspect()).Id;
    expect(env.images.map((i: { id: string }) => i.id)).toContain(id);
    const doc = JSON.parse(readFileSync(join(bundle, BUNDLE_FILES.results), 'utf8'));
    expect(env.run).toEqual({ startedAt: doc.startedAt, endedAt: doc.endedAt, interrupted: null });
  });

  it('verify accepts the folder and the .tar.gz (the same files, checked by tar too)', async () => {
    for (const path of [bundle, `${bundle}.tar.gz`]) {
      const v = await verify(path);
      expect(v.out).toMatch(
        new RegExp(`^verified: certified: ${name} \\(\\d+ results, \\d+ files\\)\\n$`),
      );
      expect(v.code).toBe(0);
    }
    const { stdout } = await run('tar', ['-tzf', `${bundle}.tar.gz`]);
    const listed = stdout
      .trim()
      .split('\n')
      .filter((l) => !l.endsWith('/'));
    expect(listed).toEqual(
      filesOf(bundle)
        .map((f) => `reference/${f}`)
        .sort(),
    );
  });

  it('one byte changed in any file is refused, naming that file', async () => {
    const files = filesOf(bundle);
    for (const file of files) {
      const copy = copyOf(bundle);
      const bytes = readFileSync(join(copy, file));
      // The manifest's first hash digit, which names the first file; elsewhere the middle byte.
      const at = file === MANIFEST ? 0 : bytes.length >> 1;
      const named = file === MANIFEST ? bytes.toString().split('\n')[0]!.slice(66) : file;
      if (bytes.length === 0) continue;
      bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
      writeFileSync(join(copy, file), bytes);
      const v = await verify(copy);
      expect(v.problems, `${file}\n${v.out}`).toEqual([
        `${named}: does not match its SHA-256 in ${MANIFEST}`,
      ]);
      expect(v.code, file).toBe(1);
      rmSync(copy, { recursive: true });
    }
  });

  it('a result edited together with its checksum is refused: its verdict and the reports disagree', async () => {
    const copy = copyOf(bundle);
    const doc = readDoc(copy);
    const victim = doc.results.find((x) => x.id === 'peer.ula.bare' && x.mode === 'ipv6-only')!;
    victim.status = 'failed';
    victim.message = 'edited';
    writeDoc(copy, doc);
    reseal(copy, BUNDLE_FILES.results);
    const v = await verify(copy);
    const total = doc.results.length;
    expect(v.problems, v.out).toEqual([
      'results.json: its verdict (certified) is not what its results give (not certified); not stated: 1 result failed: peer.ula.bare [ipv6-only]',
      `junit.xml: ${total} total, 0 failed, 0 error, 0 skipped does not agree with results.json (${total} total, 1 failed, 0 error, 0 skipped)`,
      "results.tap disagrees with results.json: peer.ula.bare [ipv6-only] is 'ok', in results.json 'not ok'",
    ]);
    expect(v.code).toBe(1);
  });

  it('a cell removed, with the manifest fixed up, is refused: a planned cell is missing', async () => {
    const copy = copyOf(bundle);
    const doc = readDoc(copy);
    doc.results = doc.results.filter(
      (x) => !(x.id === 'local.loopback.bare' && x.mode === 'dual-stack'),
    );
    writeDoc(copy, doc);
    reseal(copy, BUNDLE_FILES.results);
    const v = await verify(copy);
    const total = doc.results.length;
    expect(v.problems, v.out).toEqual([
      'results.json: its verdict (certified) is not what its results give (not certified); not stated: 1 result planned but missing: local.loopback.bare [dual-stack]',
      `junit.xml: ${total + 1} total, 0 failed, 0 error, 0 skipped does not agree with results.json (${total} total, 0 failed, 0 error, 0 skipped)`,
      `results.tap: plans ${total + 1} tests; results.json holds ${total}`,
      'results.tap disagrees with results.json: local.loopback.bare [dual-stack] is a test point results.json does not hold',
    ]);
    expect(v.code).toBe(1);
  });

  it('an unlisted file is refused', async () => {
    const copy = copyOf(bundle);
    writeFileSync(join(copy, 'logs', 'extra.log'), 'not from certify\n');
    const v = await verify(copy);
    expect(v.problems).toEqual([`logs/extra.log: not listed in ${MANIFEST}`]);
    expect(v.code).toBe(1);
  });

  it('a tampered .tar.gz is refused; links, traversal and absurd sizes are not a bundle (exit 2)', async () => {
    const copy = copyOf(bundle);
    const junit = join(copy, BUNDLE_FILES.junit);
    writeFileSync(junit, readFileSync(junit, 'utf8').replace('<testsuites', '<testsuites x="1"'));
    await run('tar', ['-czf', `${copy}.tar.gz`, '-C', dir, relative(dir, copy)]);
    const tampered = await verify(`${copy}.tar.gz`);
    expect(tampered.problems).toEqual([
      `${BUNDLE_FILES.junit}: does not match its SHA-256 in ${MANIFEST}`,
    ]);
    expect(tampered.code).toBe(1);

    symlinkSync('/etc/passwd', join(copy, 'logs', 'passwd.log'));
    await run('tar', ['-czf', `${copy}-link.tar.gz`, '-C', dir, relative(dir, copy)]);
    for (const path of [copy, `${copy}-link.tar.gz`]) {
      const v = await verify(path);
      expect(v.out, path).toMatch(
        /logs\/passwd\.log' is a symbolic link; a bundle holds only files/,
      );
      expect(v.code).toBe(2);
    }
    const traversal = join(dir, 'traversal.tar.gz');
    writeFileSync(traversal, gzipSync(tarball([{ path: '../escape.txt', content: 'x' }])));
    expect(await verify(traversal)).toMatchObject({ code: 2 });
    expect((await verify(traversal)).out).toMatch(/'\.\.\/escape\.txt' is not a bundle path/);

    // Zeros that inflate past the bound: refused while inflating, never held whole.
    const bomb = join(dir, 'bomb.tar.gz');
    const gz = createGzip();
    const sink = gz.pipe(createWriteStream(bomb));
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i <= BUNDLE_LIMITS.totalBytes / chunk.length + 64; i++)
      if (!gz.write(chunk)) await once(gz, 'drain');
    gz.end();
    await once(sink, 'finish');
    const v = await verify(bomb);
    expect(v.out).toMatch(/not a gzip archive within \d+ bytes/);
    expect(v.code).toBe(2);

    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i <= BUNDLE_LIMITS.files; i++) writeFileSync(join(many, `f${i}`), '');
    expect((await verify(many)).out).toMatch(new RegExp(`more than ${BUNDLE_LIMITS.files} files`));
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(await verify(empty)).toMatchObject({ code: 2 });
    expect((await verify(empty)).out).toMatch(/no MANIFEST\.sha256: not a certification bundle/);
  });
});

describe.skipIf(dockerReason)(dockerTitle('a certify run of a broken agent'), () => {
  const profile = join(dir, 'v6only-profile.json');
  const name = `certv6only-${process.pid}`;
  const bundle = join(dir, 'v6only');
  let r: CliResult;
  beforeAll(async () => {
    // The shipped broken agent that sets IPV6_V6ONLY on its `::` listener, as a vendor's agent.
    writeFileSync(profile, JSON.stringify({ name, agent: { program: 'agent-v6only' } }));
    r = await certify(['--profile', profile, '--out', bundle]);
  }, CERTIFY_LIMIT_MS);
  const output = () => `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`;

  // IPv4 to a `::` listener is what it refuses: over loopback in both modes; from the peer and
  // through the engine only where IPv4 exists (dual-stack).
  const FAILED: Array<[string, string]> = [
    ['local.loopback.ipv4', 'dual-stack'],
    ['local.loopback.ipv4', 'ipv6-only'],
    ['peer.ipv4.dotted', 'dual-stack'],
    ['peer.ipv4.mapped', 'dual-stack'],
    ['engine.add-host.ipv4', 'dual-stack'],
  ];

  it('is not certified, listing exactly the cells that failed; verify confirms it', async () => {
    const reasons = [failedReason(FAILED)];
    expect(r.stdout, output()).toContain(`not certified: ${name} (1 reason)\n  - ${reasons[0]}\n`);
    expect(r.code, output()).toBe(1);
    expect(readDoc(bundle).verdict).toEqual({ certified: false, reasons });
    expect(readFileSync(join(bundle, BUNDLE_FILES.html), 'utf8')).toMatch(
      /<h1 id="headline"[^>]*>Not certified: 1 reason<\/h1>/,
    );
    const v = await verify(`${bundle}.tar.gz`);
    expect(v.out).toMatch(new RegExp(`^verified: not certified: ${name} \\(1 reason\\)\\n`));
    expect(v.problems).toEqual(reasons);
    expect(v.code).toBe(0);
    expect(await leftovers(r.pid)).toEqual([]);
  });

  it('a forger who marks every failure passed, the verdict certified and reseals is refused', async () => {
    const copy = copyOf(bundle);
    const doc = readDoc(copy);
    for (const x of doc.results)
      if (x.status === 'failed') {
        x.status = 'passed';
        delete x.message;
      }
    doc.verdict = { certified: true, reasons: [] };
    writeDoc(copy, doc);
    reseal(copy, BUNDLE_FILES.results);
    const v = await verify(copy);
    const total = doc.results.length;
    const sorted = [...FAILED].sort(
      ([a, ma], [b, mb]) => ma.localeCompare(mb) || TABLE.indexOf(a) - TABLE.indexOf(b),
    );
    expect(v.problems, v.out).toEqual([
      `junit.xml: ${total} total, 5 failed, 0 error, 0 skipped does not agree with results.json (${total} total, 0 failed, 0 error, 0 skipped)`,
      `results.tap disagrees with results.json: ${sorted.map(([id, m]) => `${id} [${m}] is 'not ok', in results.json 'ok'`).join('; ')}`,
      "matrix.html: its first line says 'Not certified: 1 reason', results.json 'Certified'",
    ]);
    expect(v.code).toBe(1);
  });
});
