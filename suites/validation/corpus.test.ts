import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectedVerdict,
  loadCorpus,
  localValidator,
  type CorpusCase,
  type Validator,
  type Verdict,
} from '../../harness/index.ts';

// The corpus is the spec; each validator is judged against all of it. An engine's HTTP API joins
// this list (as another Validator) without copying a case.
const validators: Validator[] = [localValidator];
const cases = loadCorpus();

for (const validator of validators) {
  describe(`validation corpus (${validator.name})`, () => {
    let verdicts: Verdict[] = [];

    beforeAll(async () => {
      verdicts = await validator.validateMany(cases);
      expect(verdicts).toHaveLength(cases.length);
    });

    // A plain loop, not it.for: the test name must be exactly the case id (JUnit keys on it).
    cases.forEach((c, index) => {
      it(c.id, () => {
        const verdict = verdicts[index]!;
        expect(verdict, `${c.source} (${c.file})`).toMatchObject(expectedVerdict(c));
        // A valid case without a zone must not gain one.
        if (c.valid) expect(verdict.zone).toBe(c.zone);
        expect(verdict.reason.message.length).toBeGreaterThan(0);
      });
    });
  });
}

describe('validation corpus shape', () => {
  it('has at least 400 cases, every field covered both ways', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    const seen = new Set(cases.map((c) => `${c.field}:${c.valid}`));
    for (const field of [
      'ipv4',
      'ipv6',
      'ip',
      'host',
      'prefix',
      'netmask',
      'gateway',
      'storage',
      'endpoint',
    ]) {
      expect(seen).toContain(`${field}:true`);
      expect(seen).toContain(`${field}:false`);
    }
  });

  it('names the source of every case', () => {
    expect(
      cases
        .filter((c) => !/^(seed: |RFC \d+|known bug: |generated: )/.test(c.source))
        .map((c) => c.id),
    ).toEqual([]);
  });

  it('says what each generated case crosses: a form, a class and its field', () => {
    const generated = cases.filter((c) => c.source.startsWith('generated: '));
    expect(generated.length).toBeGreaterThan(1000);
    const shape = (c: CorpusCase) =>
      c.source.split(' × ').length >= 3 && c.source.endsWith(` × field ${c.field}`);
    expect(generated.filter((c) => !shape(c)).map((c) => c.id)).toEqual([]);
  });

  it('holds exactly what scripts/gen-corpus.ts writes', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-corpus.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--check'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
