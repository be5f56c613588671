// A vendor agent that does not come up as its configuration says is the vendor's failure on every
// cell that needs it — never a harness error, never the whole run — and the other cells still run.
// Each case is a `sixgate run --profile` of a fault image (fixtures/fault-images) in dual-stack.
import { afterAll, describe, expect, it } from 'vitest';
import { CELLS, ENGINE_CELLS, MATRIX_AGENTS } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  ALL_CELLS,
  CORPUS_IDS,
  ENGINE_IDS,
  FaultImages,
  idsWith,
  leftovers,
  MATRIX_IDS,
  sorted,
  TEST_LIMIT_MS,
  timing,
  type FaultRun,
} from './fault-run.ts';

/** The line fixtures/fault-images/exits-at-once/exits.mjs writes to stderr before it exits. */
const EXIT_LINE = 'fault-image: fatal: cannot open /dev/kvm (exits at once on purpose)';
/** The listen wait of providers/docker/start-host.ts: 15 s, then as long again. */
const LISTEN_LIMIT_MS = 30_000;

// A matrix cell names its own agent; an engine cell the first agent it drives. An engine cell
// that drives no agent (storage by address) does not depend on one and must pass.
const roleOf = new Map<string, string>([
  ...CELLS.map((c) => [c.id, c.role] as const),
  ...ENGINE_CELLS.filter((c) => c.roles.length).map((c) => [c.id, c.roles[0]!] as const),
]);
/** Every cell that needs an agent of the target. */
const NEED_AGENT = [...MATRIX_IDS, ...ENGINE_IDS].filter((id) => roleOf.has(id));
const portOf = (role: string) => MATRIX_AGENTS.find((a) => a.key === role)!.managementPort;
const withOutput = (r: FaultRun) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/**
 * What every such run must show: no harness error, the exact set of failures, everything else
 * passed (dual-stack on Docker skips nothing), the exit code, and nothing left behind.
 */
async function expectVerdicts(r: FaultRun, planned: string[], failed: string[]) {
  expect(sorted(r.cases.map((c) => c.id)), withOutput(r)).toEqual(sorted(planned));
  expect(
    r.cases.filter((c) => c.verdict === 'error'),
    withOutput(r),
  ).toEqual([]);
  expect(idsWith(r.cases, 'failed')).toEqual(sorted(failed));
  expect(idsWith(r.cases, 'passed')).toEqual(sorted(planned.filter((id) => !failed.includes(id))));
  expect(r.code, withOutput(r)).toBe(failed.length ? 1 : 0);
  expect(await leftovers(r.pid)).toEqual([]);
}

describe.skipIf(dockerReason)(dockerTitle('a vendor agent that does not start is to blame'), () => {
  const images = new FaultImages();
  const times: string[] = [];
  afterAll(async () => {
    console.info(times.join('\n'));
    await images.dispose();
  });

  it(
    'exits at once: every matrix and engine cell fails with its exit code and log line; the corpus passes',
    async () => {
      const { file, name } = await images.profile('exits', { agent: 'exits-at-once' });
      const r = await images.run(file);
      times.push(timing('agent exits at once (full run)', r));
      await expectVerdicts(r, [...MATRIX_IDS, ...ENGINE_IDS, ...CORPUS_IDS], NEED_AGENT);
      for (const c of r.cases.filter((x) => x.verdict === 'failed')) {
        const role = roleOf.get(c.id)!;
        expect(c.message, c.id).toMatch(
          new RegExp(
            `^the ${role} agent did not start: agent sixgate-\\w+-${name}\\.${role} exited \\(code 3\\)`,
          ),
        );
        expect(c.message, c.id).toContain(EXIT_LINE);
      }
    },
    TEST_LIMIT_MS,
  );

  it(
    'never listens: every cell that needs an agent fails naming the port and the limit',
    async () => {
      const { file, name } = await images.profile('silent', { agent: 'never-listens' });
      const r = await images.run(file, ALL_CELLS);
      times.push(timing('agent never listens (cells only)', r));
      await expectVerdicts(r, [...MATRIX_IDS, ...ENGINE_IDS], NEED_AGENT);
      for (const c of r.cases.filter((x) => x.verdict === 'failed')) {
        const role = roleOf.get(c.id)!;
        expect(c.message, c.id).toMatch(
          new RegExp(
            `^the ${role} agent did not start: the agent did not listen on port ${portOf(role)} within ${LISTEN_LIMIT_MS} ms \\(${LISTEN_LIMIT_MS / 2} ms, then once more\\)\nsee its log: docker logs sixgate-\\w+-${name}\\.${role}$`,
          ),
        );
      }
    },
    TEST_LIMIT_MS,
  );

  it(
    'listens only in the second wait: everything passes, and the report names the slow start',
    async () => {
      const { file, name } = await images.profile('slow', { agent: 'slow-start' });
      const r = await images.run(file, ALL_CELLS);
      times.push(timing('agent starts after 24 s (cells only)', r));
      await expectVerdicts(r, [...MATRIX_IDS, ...ENGINE_IDS], []);
      // `<key>,<key> (listened only after the first wait)`. Which of the vendor agents land in
      // the second wait depends on how long their probes took to start; no reference agent does.
      const slow = r.properties.get('dual-stack.slow-start');
      expect(slow, [...r.properties].join('\n')).toMatch(
        / \(listened only after the first wait\)$/,
      );
      const keys = slow!.replace(/ \(.*$/, '').split(',');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(MATRIX_AGENTS.map((a) => `${name}.${a.key}`)).toContain(key);
    },
    TEST_LIMIT_MS,
  );

  it(
    'listens on 54321 whatever management_port says: only the alternate-port cells fail',
    async () => {
      const { file } = await images.profile('port', { agent: 'ignores-port' });
      const r = await images.run(file, ALL_CELLS);
      times.push(timing('agent ignores management_port (cells only)', r));
      const altPort = CELLS.filter((c) => c.role === 'alt-port').map((c) => c.id);
      expect(altPort).toEqual(['alt-port.honoured', 'alt-port.default-closed']);
      await expectVerdicts(r, [...MATRIX_IDS, ...ENGINE_IDS], altPort);
      for (const c of r.cases.filter((x) => x.verdict === 'failed'))
        expect(c.message, c.id).toMatch(
          /^the alt-port agent did not start: the agent listens on :::54321, not on the configured port 54322\n/,
        );
    },
    TEST_LIMIT_MS,
  );

  it(
    'an image Docker cannot start (no such entrypoint): every cell that needs an agent fails',
    async () => {
      const { file } = await images.profile('noexec', { agent: 'missing-entrypoint' });
      const r = await images.run(file, ALL_CELLS);
      times.push(timing('agent entrypoint missing (cells only)', r));
      await expectVerdicts(r, [...MATRIX_IDS, ...ENGINE_IDS], NEED_AGENT);
      for (const c of r.cases.filter((x) => x.verdict === 'failed')) {
        const role = roleOf.get(c.id)!;
        expect(c.message, c.id).toMatch(
          new RegExp(`^the ${role} agent did not start: Docker could not start the agent image: `),
        );
        expect(c.message, c.id).toContain('/nonexistent');
      }
    },
    TEST_LIMIT_MS,
  );
});
