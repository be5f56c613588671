// A vendor engine that does not start is the vendor's failure on what needs the engine — every
// engine cell and every corpus case — while the connection matrix, which needs only the agents,
// still runs and passes.
import { afterAll, describe, expect, it } from 'vitest';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  CORPUS_IDS,
  ENGINE_IDS,
  FaultImages,
  idsWith,
  leftovers,
  MATRIX_IDS,
  sorted,
  TEST_LIMIT_MS,
  timing,
} from './fault-run.ts';

/** The line fixtures/fault-images/exits-at-once/exits.mjs writes to stderr before it exits. */
const EXIT_LINE = 'fault-image: fatal: cannot open /dev/kvm (exits at once on purpose)';

describe.skipIf(dockerReason)(
  dockerTitle('a vendor engine that does not start is to blame'),
  () => {
    const images = new FaultImages();
    const times: string[] = [];
    afterAll(async () => {
      console.info(times.join('\n'));
      await images.dispose();
    });

    it(
      'exits at once: the engine cells and the corpus fail with its exit code and log line; the matrix passes',
      async () => {
        const { file } = await images.profile('engine-exits', { engine: 'exits-at-once' });
        const r = await images.run(file);
        times.push(timing('engine exits at once (full run)', r));
        const output = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
        const planned = [...MATRIX_IDS, ...ENGINE_IDS, ...CORPUS_IDS];
        expect(sorted(r.cases.map((c) => c.id)), output).toEqual(sorted(planned));
        expect(
          r.cases.filter((c) => c.verdict === 'error'),
          output,
        ).toEqual([]);
        expect(idsWith(r.cases, 'failed')).toEqual(sorted([...ENGINE_IDS, ...CORPUS_IDS]));
        expect(idsWith(r.cases, 'passed')).toEqual(sorted(MATRIX_IDS));
        for (const c of r.cases.filter((x) => x.verdict === 'failed')) {
          expect(c.message, c.id).toMatch(
            /^the engine did not start: engine sixgate-\w+-engine exited \(code 3\)\n/,
          );
          expect(c.message, c.id).toContain(EXIT_LINE);
        }
        expect(r.code, output).toBe(1);
        expect(await leftovers(r.pid)).toEqual([]);
      },
      TEST_LIMIT_MS,
    );
  },
);
