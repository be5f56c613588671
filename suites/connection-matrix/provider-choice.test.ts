// A gate must not go green without having tested: the local provider reports every result it
// could not produce as skipped with the reason (the totals stay those of a Docker run), `--strict`
// and CI=true turn a skip into exit 3, and `auto` with a configured but dead Docker is an
// environment error, never a quiet fallback.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, ENGINE_CELLS, isEngineField, loadCorpus } from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-provider-'));
const env = { ...process.env, CI: '' };
const testcases = (xml: string) =>
  [
    ...xml.matchAll(
      /<testcase [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/testcase>|<testcase [^>]*name="([^"]+)"[^>]*\/>/g,
    ),
  ].map((m) => ({ id: m[1] ?? m[3]!, body: m[2] ?? '' }));

describe('the local provider, honestly', () => {
  it('reports the engine cells and the corpus as skipped with the reason; totals unchanged', async () => {
    const junit = join(dir, 'local.xml');
    const r = await sixgate(
      [
        'run',
        '--provider',
        'local',
        '--mode',
        'dual-stack',
        '--junit',
        junit,
        '--html',
        join(dir, 'l.html'),
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const cases = testcases(readFileSync(junit, 'utf8'));
    const corpus = loadCorpus().filter((c) => isEngineField(c.field));
    expect(cases.length).toBe(CELLS.length + ENGINE_CELLS.length + corpus.length);
    for (const c of cases.filter((x) => x.id.startsWith('engine.') || x.id.startsWith('corpus.'))) {
      expect(c.body, c.id).toMatch(/<skipped message="the local provider starts no engine/);
    }
  });

  it('--strict makes those skips exit 3, and so does CI=true', async () => {
    const args = [
      'run',
      '--provider',
      'local',
      '--mode',
      'dual-stack',
      '--junit',
      join(dir, 's.xml'),
      '--html',
      join(dir, 's.html'),
    ];
    const strict = await sixgate([...args, '--strict'], env);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toMatch(/--strict: \d+ result\(s\) skipped; not a pass/);
    const ci = await sixgate(args, { ...process.env, CI: 'true' });
    expect(ci.code).toBe(3);
    expect(ci.stderr).toMatch(/CI=true: \d+ result\(s\) skipped/);
  });
});

describe('auto with a configured Docker that does not answer', () => {
  it('is an environment error (exit 3), not a fallback to the local provider', async () => {
    const junit = join(dir, 'dead.xml');
    const r = await sixgate(
      [
        'run',
        '--mode',
        'dual-stack',
        '--cell',
        'local.loopback.bracketed',
        '--junit',
        junit,
        '--html',
        join(dir, 'd.html'),
      ],
      { ...env, DOCKER_HOST: 'tcp://[::1]:1' },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/local provider/);
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<error message="the dual-stack topology did not start: no Docker daemon is reachable/,
    );
  });
});
