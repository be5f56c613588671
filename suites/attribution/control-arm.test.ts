// The control arm: a vendor profile runs beside the reference target in the same topology. A
// correct vendor target passes everything with the control clean; where the environment breaks a
// cell for both arms, the vendor's result is the environment's `error`, never its `failed`.
import { afterAll, describe, expect, it } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  dockerClient,
  listRuns,
  profileTarget,
  REFERENCE_TARGET,
  rolesOf,
  runMatrixWithControl,
  startTopology,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  CORPUS_IDS,
  ENGINE_IDS,
  FaultImages,
  leftovers,
  MATRIX_IDS,
  sorted,
  TEST_LIMIT_MS,
  timing,
} from './fault-run.ts';

describe.skipIf(dockerReason)(dockerTitle('the control arm'), () => {
  const images = new FaultImages();
  const times: string[] = [];
  afterAll(async () => {
    console.info(times.join('\n'));
    await images.dispose();
  });

  it(
    'the reference agent as a vendor image passes every result, and the control is clean',
    async () => {
      const { file } = await images.profile('reference', { agent: 'reference-agent' });
      const r = await images.run(file);
      times.push(timing('reference agent as a vendor image (full run)', r));
      const output = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
      const planned = [...MATRIX_IDS, ...ENGINE_IDS, ...CORPUS_IDS];
      expect(sorted(r.cases.map((c) => c.id)), output).toEqual(sorted(planned));
      expect(
        r.cases.filter((c) => c.verdict !== 'passed'),
        output,
      ).toEqual([]);
      expect(r.properties.get('dual-stack.control.not-passed')).toBe('none');
      expect(r.code, output).toBe(0);
      expect(await leftovers(r.pid)).toEqual([]);
    },
    TEST_LIMIT_MS,
  );

  it(
    'IPv4 gone from where the client runs fails both arms: errors, not failures',
    async () => {
      const started = performance.now();
      // The vendor arm runs the reference agent program under a vendor's name: any failure it has
      // here is the environment's.
      const target = profileTarget({ name: `ctl-${process.pid}`, agent: { program: 'agent' } });
      const roles = rolesOf(CELLS);
      const runId = `ctl${process.pid.toString(16)}`;
      {
        await using topology = await startTopology({
          runId,
          mode: 'dual-stack',
          provider: 'docker',
          agents: [...agentSpecsFor(target, roles), ...agentSpecsFor(REFERENCE_TARGET, roles)],
        });
        // No engine in this topology: the peer cells run from the peer, so that is where IPv4 goes.
        const { flushed } = await topology.hosts.get('peer')!.probe.request({ op: 'flush-ipv4' });
        expect(flushed.length).toBeGreaterThan(0);
        const { results, control } = await runMatrixWithControl(topology, { target });
        const ipv4 = ['peer.ipv4.dotted', 'peer.ipv4.mapped'];
        const having = (status: string) =>
          sorted(results.filter((x) => x.status === status).map((x) => x.id));
        const seen = results.map((x) => `${x.id}: ${x.status} ${x.message ?? ''}`).join('\n');
        expect(sorted(results.map((x) => x.id))).toEqual(sorted(MATRIX_IDS));
        expect(sorted([...control.notPassed.keys()]), seen).toEqual(ipv4);
        // Tried twice, failed twice: nothing recovered.
        expect(control.recovered).toEqual([]);
        expect(having('failed'), seen).toEqual([]);
        expect(having('error'), seen).toEqual(ipv4);
        expect(having('passed'), seen).toEqual(
          sorted(MATRIX_IDS.filter((id) => !ipv4.includes(id))),
        );
        for (const x of results.filter((y) => y.status === 'error')) {
          expect(x.target).toBe(target.name);
          expect(x.message, x.id).toMatch(/^the reference target fails this cell here too: /);
          expect(x.message, x.id).toContain("; the vendor's own result was: ");
          expect(x.properties['cell.control'], x.id).toBe('reference failed');
        }
      }
      expect((await listRuns(dockerClient())).filter((x) => x.runId === runId)).toEqual([]);
      times.push(
        `[attribution] control arm, IPv4 flushed on the peer (in-process matrix only): ${Math.round((performance.now() - started) / 100) / 10} s`,
      );
    },
    TEST_LIMIT_MS,
  );
});
