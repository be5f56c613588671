import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectedVerdict,
  loadCorpus,
  localValidator,
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
      cases.filter((c) => !/^(seed: |RFC \d+|known bug: )/.test(c.source)).map((c) => c.id),
    ).toEqual([]);
  });
});
