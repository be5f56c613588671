// The engine end to end on real Docker, both network modes: the reference engine runs on the
// Docker host (attached to the run's bridge) and adds the agent container by its ULA, by
// link-local with the engine host's own zone, and by IPv4. Until the topology has an `engine`
// container, the AAAA-only name case is skipped: Docker's DNS answers only inside containers.
import { BlockList } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EngineClient,
  startLocalEngine,
  startTopology,
  type NetworkMode,
  type StartedEngine,
  type StartedHost,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason } from '../topology/docker-gate.ts';
import { makeTls, samePeer } from './support.ts';

const AAAA_SKIP =
  'the engine runs on the Docker host, where Docker DNS does not answer; needs an engine container in the topology';

/** The host's interface on the run's network: the engine's zone for link-local addresses. */
function bridgeOf(subnet6: string): string | undefined {
  const [prefix = '', len = '64'] = subnet6.split('/');
  const list = new BlockList();
  list.addSubnet(prefix, Number(len), 'ipv6');
  return Object.entries(networkInterfaces()).find(([, addrs]) =>
    addrs?.some((a) => a.family === 'IPv6' && list.check(a.address, 'ipv6')),
  )?.[0];
}

const MODES: NetworkMode[] = ['dual-stack', 'ipv6-only'];

describe.skipIf(dockerReason !== undefined).each(MODES)(
  'engine end to end on Docker (%s)',
  (mode) => {
    let topology: StartedTopology;
    let engine: StartedEngine;
    let client: EngineClient;
    let agent: StartedHost;
    let bridge: string | undefined;

    beforeAll(async () => {
      const api = await makeTls();
      topology = await startTopology({
        mode,
        provider: 'docker',
        agents: [{ key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true }],
      });
      agent = topology.hosts.get('wildcard')!;
      bridge = bridgeOf(topology.network!.subnet6);
      engine = await startLocalEngine({
        tls: {
          cert: api.engine.cert,
          key: api.engine.key,
          ca: topology.tls.ca,
          clientCert: topology.tls.clientCert,
          clientKey: topology.tls.clientKey,
        },
      });
      client = new EngineClient({ host: '::1', port: engine.port, tls: { ca: api.ca } });
    });
    afterAll(async () => {
      await client?.close();
      await engine?.stop();
      await topology?.down();
    });

    const expectUp = async (address: string, identity?: string) => {
      const host = await client.addHost({
        name: 'agent',
        address,
        ...(identity ? { identity } : {}),
      });
      expect(host.status, `${host.statusReason}\n${await agent.logs(20)}`).toBe('up');
      expect(samePeer(host.lastClient, host.connection?.local?.address)).toBe(true);
      return host;
    };

    it('adds the agent by its ULA', async () => {
      const host = await expectUp(agent.primary.ula!);
      expect(host.connection?.remote).toMatchObject({
        address: agent.primary.ula,
        family: 6,
        port: 54321,
      });
    });

    it("adds the agent by link-local with the engine host's zone", async () => {
      expect(bridge, 'no host interface on the run network').toBeDefined();
      const host = await expectUp(`${agent.primary.linkLocal}%${bridge}`, agent.primary.ula);
      expect(host.zone).toBe(bridge);
      expect(host.lastClient?.toLowerCase().startsWith('fe80:')).toBe(true);
      expect(host.lastClientIface).toBe(agent.primary.iface);
    });

    it.skip(`adds the agent by a name with only an AAAA record (${AAAA_SKIP})`, () => {});

    if (mode === 'dual-stack') {
      it('adds the agent by IPv4 on its :: listener', async () => {
        const host = await expectUp(agent.primary.ipv4!);
        expect(host.connection?.remote.family).toBe(4);
      });
    } else {
      it('cannot add the agent by its former IPv4 address: non_responsive naming IPv4', async () => {
        const former = agent.formerIpv4 ?? agent.primary.ipv4;
        expect(former, 'the IPv6-only network left no IPv4 address to try').toBeDefined();
        const host = await client.addHost({ name: 'agent4', address: former! });
        expect(host.status).toBe('non_responsive');
        expect(host.statusReason).toMatch(/over IPv4/);
      });
    }

    it('sets static IPv6 on the agent and reads it back in the NIC table', async () => {
      const host = await expectUp(agent.primary.ula!);
      await client.attachNetwork(host.id, {
        network: 'sixnet',
        nic: agent.primary.iface,
        ipv6: { bootProtocol: 'static', address: 'fd00:e2e::7', prefix: 64 },
      });
      const rows = await client.listNics(host.id);
      expect(rows.find((r) => r.name === 'sixnet')?.address).toContain('fd00:e2e::7/64');
      expect(rows.find((r) => r.name === agent.primary.iface)?.ipv6Addresses.join(' ')).toContain(
        agent.primary.ula!,
      );
    });
  },
);
