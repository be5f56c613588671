// The Podman provider for real: the whole connection matrix and the engine cells against the
// reference target on Podman's Docker-compatible API, rootful in both modes and rootless
// (a user of its own, `scripts/ensure-podman.sh --rootless sixgate-podman`) IPv6-only, there
// without the engine: a rootless network lives in the user's own network namespace, where this
// process cannot dial the engine's API (EHOSTUNREACH). Podman
// makes IPv6-only networks natively, so that mode's IPv4 cells aim at addresses no host has and
// must fail there. One topology per row, shared by its assertions; its runs are found and
// removed by their labels on Podman as on Docker.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  type CellResult,
  clientFor,
  ENGINE_CELLS,
  listRuns,
  type NetworkMode,
  REFERENCE_TARGET,
  rolesOf,
  runEngineChecks,
  runMatrix,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';
import {
  ENSURE,
  podmanReason,
  requireInCi,
  ROOTFUL,
  ROOTLESS_USER,
  rootlessSocket,
} from '../support/podman-gate.ts';

const ROWS = [
  { how: 'rootful', mode: 'dual-stack', socket: ROOTFUL, ensure: ENSURE, engine: true },
  { how: 'rootful', mode: 'ipv6-only', socket: ROOTFUL, ensure: ENSURE, engine: true },
  {
    how: 'rootless',
    engine: false,
    mode: 'ipv6-only',
    socket: rootlessSocket(),
    ensure: `${ENSURE} --rootless ${ROOTLESS_USER}`,
  },
] as const;

const reasons = await Promise.all(ROWS.map((r) => podmanReason(r.socket, r.ensure)));
requireInCi(reasons);

const IPV4_CELLS = CELLS.filter((c) => /\bipv4\b/.test(c.id) && c.id.startsWith('peer.'));

describe.each(ROWS.map((r, i) => ({ ...r, reason: reasons[i] })))(
  'Podman $how, $mode: reference target (engine: $engine)',
  ({ mode, socket, reason, engine }) => {
    let topology: StartedTopology | undefined;
    const results = new Map<string, CellResult>();
    let labelled: Awaited<ReturnType<typeof listRuns>> = [];
    const saved = process.env.DOCKER_HOST;

    beforeAll(async () => {
      // Each test says why it skips; nothing to start.
      if (reason) return;
      // Discovery takes the configured socket first: this row's service.
      process.env.DOCKER_HOST = `unix://${socket}`;
      topology = await startTopology({
        mode: mode as NetworkMode,
        provider: 'podman',
        engine,
        agents: agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS)),
      });
      for (const r of await runMatrix(topology)) results.set(r.id, r);
      if (engine)
        for (const r of await runEngineChecks(topology, { cells: ENGINE_CELLS }))
          results.set(r.id, r);
      labelled = await listRuns(clientFor({ socketPath: socket! }));
    }, 600_000);
    afterAll(async () => {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      await topology?.down();
      if (topology && socket) {
        const left = await listRuns(clientFor({ socketPath: socket }));
        expect(left.map((r) => r.runId)).not.toContain(topology.runId);
      }
    });

    test('every cell and every engine cell passes', ({ skip }) => {
      if (reason) return skip(reason);
      const all = [...CELLS, ...(engine ? ENGINE_CELLS : [])].map((c) => c.id);
      const notPassed = all.flatMap((id) => {
        const r = results.get(id);
        return r?.status === 'passed'
          ? []
          : [`${id}: ${r ? `${r.status} ${r.message}` : 'no result'}`];
      });
      expect(notPassed).toEqual([]);
      expect(topology!.provider).toBe('podman');
      expect(topology!.unavailable ?? []).toEqual([]);
    });

    test('its containers and network carry the run labels', ({ skip }) => {
      if (reason) return skip(reason);
      const run = labelled.find((r) => r.runId === topology!.runId);
      expect(run?.networks).toHaveLength(1);
      // Every host and its probe sidecar: the peer is a probe of its own.
      expect(run?.containers.length).toBe(2 * topology!.hosts.size - 1);
    });

    if (mode === 'ipv6-only') {
      test('the network is natively IPv6-only: no host has IPv4, and IPv4 cells find no path', ({
        skip,
      }) => {
        if (reason) return skip(reason);
        expect(topology!.ipv6OnlyMethod).toBe('native');
        expect(topology!.network?.subnet4).toBeUndefined();
        for (const [key, h] of topology!.hosts) {
          const v4 = h.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.ipv4);
          expect(v4, key).toEqual([]);
          expect(h.formerIpv4, key).toMatch(/^192\.0\.2\./);
        }
        expect(IPV4_CELLS.length).toBeGreaterThan(0);
        for (const c of IPV4_CELLS) {
          const r = results.get(c.id)!;
          expect(r.status, c.id).toBe('passed');
          expect(r.outcome?.ok, c.id).toBe(false);
        }
      });
    }
  },
);
