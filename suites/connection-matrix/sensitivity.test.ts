// Sensitivity: each deliberately broken agent, in both network modes, must fail exactly the cells
// its fault breaks: no fewer (the matrix would miss the bug), no more (it would blame what is not
// broken), and nothing may end as a harness error. One topology per mode holds every broken agent
// in the role it swaps. Cells run only for the roles a target swaps, and engine cells only where
// they drive a swapped role: the other roles are the reference agent, which the reference suite
// covers. For engine cells a target's unswapped role is the run's one reference agent of that role.
// The same table holds on every provider: Docker in both modes (its IPv6-only by flushing IPv4)
// and rootful Podman IPv6-only (a native IPv6-only network), so a provider cannot change a verdict.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  agentKey,
  type AgentRole,
  agentSpecsFor,
  CELLS,
  type CellResult,
  ENGINE_CELLS,
  type NetworkMode,
  type ProviderId,
  REFERENCE_TARGET,
  runEngineChecks,
  runMatrix,
  startTopology,
  type StartedTopology,
  type Target,
  targetByName,
} from '../../harness/index.ts';
import { dockerReason } from '../support/docker-gate.ts';
import { ENSURE, podmanReason, requireInCi, ROOTFUL } from '../support/podman-gate.ts';

type Expected = { both?: string[] } & Partial<Record<NetworkMode, string[]>>;

/** Every cell the agent's setupNetworks validation adds, all run from [::1] on the agent's host. */
const SETUP_NETWORKS = CELLS.filter((c) => c.id.startsWith('setup-networks.')).map((c) => c.id);
const SETUP_REFUSALS = SETUP_NETWORKS.filter((id) => id.endsWith('-refused'));
/** Engine cells that need the agent up by its ULA before they can check anything. */
const ENGINE_BY_ULA = [
  'engine.add-host.ula',
  'engine.network.static-ipv6',
  'engine.network.static-gateway',
  'engine.network.autoconf',
  'engine.network.dhcpv6',
  'engine.network.prefix-129-refused',
];

/** Every cell that reaches the wildcard agent over IPv6 and needs it to answer. */
const OVER_IPV6 = [
  'local.loopback.bracketed',
  'local.loopback.bracketed-port',
  'local.name.localhost6',
  'local.name.localhost6-port',
  'local.link-local.zone',
  'local.link-local.zone-port',
  'local.capabilities.addresses',
  'local.loopback.bare',
  'peer.ula.bracketed-port',
  'peer.ula.bare',
  'peer.ula.uppercase',
  'peer.ula.full-form',
  'peer.link-local.zone-port',
  'peer.link-local.numeric-zone',
  'peer.name.aaaa-only',
];
/** The cells whose certificate check is by an IPv6 address (or localhost6, a name for ::1 only). */
const BY_IPV6_IDENTITY = [
  'local.loopback.bracketed',
  'local.loopback.bracketed-port',
  'local.name.localhost6',
  'local.name.localhost6-port',
  'local.capabilities.addresses',
  'local.loopback.bare',
  'peer.ula.bracketed-port',
  'peer.ula.bare',
  'peer.ula.uppercase',
  'peer.ula.full-form',
];
const IPV4_FROM_PEER = ['peer.ipv4.dotted', 'peer.ipv4.mapped', 'engine.add-host.ipv4'];

/**
 * What each broken agent fails: in both modes, and in one mode only. In IPv6-only mode an IPv4
 * cell expects no path at all, so a fault on the IPv4 side cannot show there; a name with A and
 * AAAA records can no longer fall back to IPv4.
 */
const FAILS: Record<string, Expected> = {
  'broken-ipv4-only': {
    both: [
      ...OVER_IPV6,
      'local.listener.wildcard',
      'tls.client-cert-required',
      ...SETUP_NETWORKS,
      ...ENGINE_BY_ULA,
      'engine.add-host.link-local-zone',
      'engine.add-host.aaaa-only-name',
    ],
    'ipv6-only': ['peer.name.dual'],
  },
  'broken-v6only': {
    both: ['local.loopback.ipv4'],
    'dual-stack': IPV4_FROM_PEER,
  },
  // Without IPv6 names the certificate lacks ::1, the ULA and localhost6; cells that check it
  // against the agent's DNS name (link-local, setupNetworks, the engine's link-local add) pass.
  'broken-no-ipv6-san': { both: [...BY_IPV6_IDENTITY, ...ENGINE_BY_ULA] },
  // Every connection whose lastClient is checked; setupNetworks replies carry none.
  'broken-wrong-last-client': {
    both: [
      ...OVER_IPV6,
      'local.loopback.ipv4',
      'peer.name.dual',
      ...ENGINE_BY_ULA,
      'engine.add-host.link-local-zone',
      'engine.add-host.aaaa-only-name',
    ],
    'dual-stack': IPV4_FROM_PEER,
  },
  'broken-no-client-auth': { both: ['tls.client-cert-required'] },
  'broken-ipv6-blind-caps': { both: ['local.capabilities.addresses'] },
  // It never listens where its configuration says: the target's failure, on the role's cells.
  'broken-ignores-port': { both: ['alt-port.honoured', 'alt-port.default-closed'] },
  'broken-ipv4-any-binds-wildcard': {
    both: ['ipv4-any.loopback6-refused', 'engine.add-host.ipv4-only-agent'],
  },
  'broken-ula-binds-wildcard': { both: ['ula.loopback6-refused'] },
  'broken-accepts-prefix-129': { both: ['setup-networks.prefix-129-refused'] },
  'broken-accepts-static-dynamic': {
    both: [
      'setup-networks.static-with-autoconf-refused',
      'setup-networks.static-with-dhcpv6-refused',
    ],
  },
  'broken-vague-refusals': { both: SETUP_REFUSALS },
  // Only the engine's gateway cell reads the gateway back from the agent.
  'broken-drops-gateway': { both: ['engine.network.static-gateway'] },
  // It binds its tentative management address once, is refused (EADDRNOTAVAIL), and exits.
  'broken-gives-up-on-tentative': { both: ['tentative.listens-after-dad'] },
};

const targets = Object.keys(FAILS).map(targetByName);
const swapped = (t: Target) => Object.keys(t.agents ?? {}) as AgentRole[];
const ENGINE_ROLES: AgentRole[] = ['wildcard', 'ipv4-any'];

/** The topology as one target sees it: its unswapped engine roles are the reference agents. */
function viewFor(topology: StartedTopology, target: Target): StartedTopology {
  const hosts = new Map(topology.hosts);
  for (const role of ENGINE_ROLES) {
    const key = agentKey(target, role);
    if (!hosts.has(key)) hosts.set(key, topology.hosts.get(agentKey(REFERENCE_TARGET, role))!);
  }
  return { ...topology, hosts };
}

const podman = await podmanReason(ROOTFUL, ENSURE);
requireInCi([podman]);
const ROWS: Array<{ provider: ProviderId; mode: NetworkMode; reason: string | undefined }> = [
  { provider: 'docker', mode: 'dual-stack', reason: dockerReason },
  { provider: 'docker', mode: 'ipv6-only', reason: dockerReason },
  { provider: 'podman', mode: 'ipv6-only', reason: podman },
];

describe.each(ROWS)(
  'the matrix fails each broken agent on exactly its cells, $provider $mode',
  ({ provider, mode, reason }) => {
    let topology: StartedTopology | undefined;
    const results = new Map<string, CellResult[]>();

    beforeAll(async () => {
      // Each test says why it skips; nothing to start.
      if (reason) return;
      const saved = process.env.DOCKER_HOST;
      // Discovery takes the configured socket first: Podman's rootful service for its row.
      if (provider === 'podman') process.env.DOCKER_HOST = `unix://${ROOTFUL}`;
      topology = await startTopology({
        mode,
        provider,
        engine: true,
        agents: [
          ...agentSpecsFor(REFERENCE_TARGET, ENGINE_ROLES),
          ...targets.flatMap((t) => agentSpecsFor(t, swapped(t))),
        ],
      }).finally(() => {
        if (saved === undefined) delete process.env.DOCKER_HOST;
        else process.env.DOCKER_HOST = saved;
      });
      expect(topology.provider).toBe(provider);
      // One target at a time: the verdicts must not depend on how loaded the probes are.
      for (const target of targets) {
        const roles = swapped(target);
        const view = viewFor(topology, target);
        const cells = CELLS.filter((c) => roles.includes(c.role));
        const engineCells = ENGINE_CELLS.filter((c) => c.roles.some((r) => roles.includes(r)));
        results.set(target.name, [
          ...(await runMatrix(view, { target, cells })),
          ...(engineCells.length
            ? await runEngineChecks(view, { target, cells: engineCells })
            : []),
        ]);
      }
    }, 900_000);
    afterAll(async () => {
      await topology?.down();
    });

    test.for(Object.entries(FAILS))('%s', ([name, fails], { skip }) => {
      if (reason) return skip(reason);
      const rs = results.get(name)!;
      // Without native IPv6-only there is no IPv4 to aim at: those cells skip, saying so.
      const skipped = rs.filter((r) => r.status === 'skipped');
      for (const r of skipped) {
        expect(topology?.ipv6OnlyMethod, `${r.id} skipped: ${r.message}`).toBe('native');
        expect(r.message).toMatch(/IPv4/);
      }
      const unrun = new Set(skipped.map((r) => r.id));
      const want = [...(fails.both ?? []), ...(fails[mode] ?? [])].filter((id) => !unrun.has(id));
      const failed = rs.filter((r) => r.status === 'failed');
      expect(
        failed.map((r) => r.id).sort(),
        failed.map((r) => `${r.id}: ${r.message}`).join('\n'),
      ).toEqual(want.sort());
      const errors = rs.filter((r) => r.status === 'error');
      expect(errors.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    });

    test('a failed cell carries diagnostics and a repro command', ({ skip }) => {
      if (reason) return skip(reason);
      const r = results
        .get('broken-ipv4-only')!
        .find((x) => x.id === 'local.loopback.bracketed-port')!;
      expect(r.diagnostics).toMatch(/agent's listeners[\s\S]*0\.0\.0\.0:54321/);
      expect(r.diagnostics).toMatch(/agent log tail/);
      expect(r.repro[0]).toBe(
        `sixgate run --cell local.loopback.bracketed-port --mode ${mode} --target broken-ipv4-only --keep`,
      );
    });

    test('a setupNetworks cell can be repeated by hand with the verb and its parameters', ({
      skip,
    }) => {
      if (reason) return skip(reason);
      const r = results
        .get('broken-accepts-prefix-129')!
        .find((x) => x.id === 'setup-networks.prefix-129-refused')!;
      expect(r.repro[1]).toMatch(
        / setupNetworks '\{"sg-prefix129":\{.*"ipv6addr":"fd00:5e7::10\/129"/,
      );
    });
  },
);
