import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  type CellResult,
  type NetworkMode,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason).each<NetworkMode>(['dual-stack', 'ipv6-only'])(
  dockerTitle('connection matrix, reference target, %s'),
  (mode) => {
    let topology: StartedTopology | undefined;
    const results = new Map<string, CellResult>();

    beforeAll(async () => {
      topology = await startTopology({
        mode,
        provider: 'docker',
        engine: true,
        agents: agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS)),
      });
      for (const r of await runMatrix(topology!)) results.set(r.id, r);
    });
    afterAll(async () => {
      await topology?.down();
    });

    test.for(CELLS.map((c) => c.id))('%s', (id, { annotate }) => {
      const r = results.get(id);
      expect(r, `cell ${id} produced no result`).toBeDefined();
      void annotate(r!.source, 'source');
      if (r!.spec) void annotate(r!.spec, 'spec');
      if (r!.observed) void annotate(r!.observed, 'observed');
      // Docker offers every fact a cell needs, in both methods of IPv6-only: no cell may skip.
      expect(r!.status, `${r!.message}\n${r!.diagnostics ?? ''}`).toBe('passed');
    });

    test("deployment cells run from the engine's own namespace", () => {
      const r = results.get('peer.ula.bracketed-port');
      expect(r?.properties['cell.client']).toBe(topology?.hosts.get('engine')?.name);
    });

    if (mode === 'ipv6-only') {
      test('the IPv6-only network really has no IPv4 path', () => {
        const v4 = results.get('peer.ipv4.dotted');
        expect(v4?.status).toBe('passed');
        expect(v4?.outcome?.ok).toBe(false);
        expect(topology?.ipv6OnlyMethod).toMatch(/^(native|flush-ipv4)$/);
        // Every host has an address for IPv4 cells to aim at: the flushed one, or TEST-NET-1.
        for (const [key, h] of topology!.hosts) expect(h.formerIpv4, key).toBeDefined();
      });
    }
  },
);
