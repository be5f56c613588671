// `sixgate run`'s engine checks against the reference engine and each deliberately broken engine,
// all as containers of a run: each broken engine must fail exactly where its fault bites, so a
// vendor engine with the same bug fails the main job, not only this repository's tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentSpecsFor,
  type CellResult,
  REFERENCE_TARGET,
  runEngineChecks,
  startTopology,
  type StartedTopology,
  type Target,
  targetByName,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const E2E = [
  'engine.add-host.ula',
  'engine.add-host.link-local-zone',
  'engine.add-host.aaaa-only-name',
  'engine.add-host.ipv4',
  'engine.add-host.ipv4-only-agent',
  'engine.network.static-ipv6',
  'engine.network.prefix-129-refused',
  'engine.storage.bracketed-ipv6',
];

const CASES: Array<[string, { mustFail: string[]; mustPass: string[] }]> = [
  ['reference', { mustFail: [], mustPass: E2E }],
  [
    'broken-engine-accepts-nine-groups',
    {
      mustFail: ['corpus.ipv6: "1:2:3:4:5:6:7:8:9::"', 'corpus.ip: "1:2:3:4:5:6:7:8:9::"'],
      mustPass: [...E2E, 'corpus.ipv6: "1:2:3:4:5:6:7:8"'],
    },
  ],
  [
    'broken-engine-rejects-prefix-109-119',
    {
      mustFail: ['corpus.prefix: "109"', 'corpus.prefix: "119"'],
      mustPass: [...E2E, 'corpus.prefix: "108"', 'corpus.prefix: "128"'],
    },
  ],
  [
    'broken-engine-rejects-zones',
    {
      mustFail: ['engine.add-host.link-local-zone', 'corpus.host: "fe80::1%eth0"'],
      mustPass: ['engine.add-host.ula', 'engine.add-host.ipv4', 'corpus.host: "2001:DB8::1"'],
    },
  ],
  [
    'broken-engine-unbracketed-url',
    {
      mustFail: ['engine.add-host.ula', 'engine.add-host.link-local-zone'],
      mustPass: ['engine.add-host.ipv4', 'engine.storage.bracketed-ipv6'],
    },
  ],
];

describe.skipIf(dockerReason).each(CASES)(dockerTitle('engine checks against %s'), (name, want) => {
  const target: Target = name === 'reference' ? REFERENCE_TARGET : targetByName(name);
  let topology: StartedTopology | undefined;
  const results = new Map<string, CellResult>();

  beforeAll(async () => {
    topology = await startTopology({
      mode: 'dual-stack',
      provider: 'docker',
      engine: target.engine ?? true,
      agents: agentSpecsFor(target, ['wildcard', 'ipv4-any']),
    });
    for (const r of await runEngineChecks(topology, { target, corpus: true })) results.set(r.id, r);
  });
  afterAll(async () => {
    await topology?.down();
  });

  it('fails where the fault bites and passes elsewhere', () => {
    for (const id of want.mustFail) {
      expect(results.get(id)?.status, `${id} should fail: ${results.get(id)?.observed}`).toBe(
        'failed',
      );
    }
    for (const id of want.mustPass) {
      expect(results.get(id)?.status, `${id} should pass: ${results.get(id)?.message}`).toBe(
        'passed',
      );
    }
    const errors = [...results.values()].filter((r) => r.status === 'error');
    expect(errors.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  });

  if (name === 'reference') {
    it('passes every engine cell and every corpus case', () => {
      const bad = [...results.values()].filter((r) => r.status !== 'passed');
      expect(bad.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
      expect([...results.keys()].filter((id) => id.startsWith('corpus.')).length).toBeGreaterThan(
        500,
      );
    });
  }
});
