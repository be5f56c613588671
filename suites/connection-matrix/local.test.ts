import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  type CellResult,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(port, '::', () => s.close(() => resolve(true)));
  });

// Without Docker the agent is a host process: what the host lacks becomes a skip with a remedy,
// never a pass and never a silent gap.
describe('connection matrix on the local provider', () => {
  let topology: StartedTopology | undefined;
  let results: CellResult[] = [];

  beforeAll(async () => {
    topology = await startTopology({
      mode: 'dual-stack',
      provider: 'local',
      agents: agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS)),
    });
    results = await runMatrix(topology);
  });
  afterAll(async () => {
    await topology?.down();
  });

  test('no cell fails or errors against the reference agent', () => {
    const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
    expect(bad.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  });

  test('every skipped cell names what is missing and how to get it', () => {
    for (const r of results.filter((x) => x.status === 'skipped')) {
      expect(r.message, r.id).toMatch(/\S{8,}/);
    }
  });

  test('the loopback cells run on any host with IPv6', () => {
    for (const id of [
      'local.loopback.bracketed',
      'local.loopback.bracketed-port',
      'local.listener.wildcard',
    ]) {
      expect(results.find((r) => r.id === id)?.status, id).toBe('passed');
    }
  });

  test('a missing localhost6 is reported with its remedy, not passed', async () => {
    const r = results.find((x) => x.id === 'local.name.localhost6-port')!;
    const hasLocalhost6 = !topology!.unavailable?.some((u) => u.what === 'localhost6');
    if (hasLocalhost6) expect(r.status).toBe('passed');
    else expect(r.message).toMatch(/localhost6 .*\/etc\/hosts/);
  });

  test('the agent held its port during the run and released it at teardown', async () => {
    expect(await portFree(54321)).toBe(false);
    await topology!.down();
    topology = undefined;
    expect(await portFree(54321)).toBe(true);
  });
});
