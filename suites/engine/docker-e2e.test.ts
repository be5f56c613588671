// The engine end to end on real Docker, both network modes: the reference engine runs as a
// container of the run and adds the agent by its ULA, by link-local with the engine's own zone,
// by a name with only an AAAA record, and by IPv4; it reports an IPv4-only agent non_responsive
// over IPv6; and static IPv6 round-trips engine -> agent -> getVdsCapabilities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EngineFaultError,
  engineClientFor,
  sameHost,
  startTopology,
  type CallOutcome,
  type EngineClient,
  type EngineHost,
  type NetworkMode,
  type StartedHost,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason } from '../support/docker-gate.ts';

const MODES: NetworkMode[] = ['dual-stack', 'ipv6-only'];
const PORT = 54321;
const agentSpec = { managementIp: '::', managementPort: PORT, mutualTls: true };

describe.skipIf(dockerReason !== undefined).each(MODES)(
  'engine container end to end on Docker (%s)',
  (mode) => {
    let topology: StartedTopology;
    let engine: NonNullable<StartedTopology['engine']>;
    let client: EngineClient;
    let agent: StartedHost;
    let ipv4Only: StartedHost;

    beforeAll(async () => {
      topology = await startTopology({
        mode,
        provider: 'docker',
        engine: true,
        agents: [
          { key: 'wildcard', ...agentSpec },
          { key: 'ipv4-only', ...agentSpec, program: 'agent-ipv4-only' },
        ],
      });
      engine = topology.engine!;
      agent = topology.hosts.get('wildcard')!;
      ipv4Only = topology.hosts.get('ipv4-only')!;
      client = engineClientFor(topology);
    });
    afterAll(async () => {
      await client?.close();
      await topology?.down();
    });

    const add = (address: string, identity?: string) =>
      client.addHost({ name: 'agent', address, ...(identity ? { identity } : {}) });

    /** Up, and the agent's lastClient is the engine's own end of that connection. */
    const expectUp = async (host: EngineHost, on: StartedHost): Promise<EngineHost> => {
      expect(host.status, `${host.statusReason}\n${await on.logs(20)}`).toBe('up');
      const local = host.connection?.local?.address;
      expect(local, 'the engine recorded no local address').toBeDefined();
      expect(sameHost(host.lastClient ?? '')).toBe(sameHost(local!));
      return host;
    };

    /** Straight to the agent from the engine's namespace, with the engine's client pair. */
    const agentCall = (method: string, params: unknown[] = []): Promise<CallOutcome> =>
      engine.host.probe.request({
        op: 'call',
        request: {
          target: `[${agent.primary.ula}]:${PORT}`,
          method,
          params,
          tls: { ca: topology.tls.ca, cert: topology.tls.clientCert, key: topology.tls.clientKey },
        },
      });

    it('adds the agent by its ULA; lastClient is the engine ULA', async () => {
      const host = await expectUp(await add(agent.primary.ula!), agent);
      expect(host.connection?.remote).toMatchObject({
        address: agent.primary.ula,
        family: 6,
        port: PORT,
      });
      expect(sameHost(host.lastClient!)).toBe(sameHost(engine.host.primary.ula!));
    });

    it("adds the agent by link-local with the engine's own zone", async () => {
      const zone = engine.host.primary.iface;
      const address = `${agent.primary.linkLocal}%${zone}`;
      const host = await expectUp(await add(address, agent.aliases[0]), agent);
      expect(host.zone).toBe(zone);
      expect(sameHost(host.lastClient!)).toBe(sameHost(engine.host.primary.linkLocal!));
      expect(host.lastClientIface).toBe(agent.primary.iface);
    });

    it('adds the agent by a name with only an AAAA record', async () => {
      const host = await expectUp(await add(agent.aaaaOnlyName!), agent);
      expect(host.connection?.remote).toMatchObject({ address: agent.primary.ula, family: 6 });
      expect(sameHost(host.lastClient!)).toBe(sameHost(engine.host.primary.ula!));
    });

    if (mode === 'dual-stack') {
      it('adds the agent by IPv4 on its :: listener', async () => {
        const host = await expectUp(await add(agent.primary.ipv4!), agent);
        expect(host.connection?.remote.family).toBe(4);
        expect(sameHost(host.lastClient!)).toBe(sameHost(engine.host.primary.ipv4!));
      });

      it('adds the IPv4-only agent by IPv4', async () => {
        await expectUp(await add(ipv4Only.primary.ipv4!), ipv4Only);
      });
    } else {
      it('cannot add the agent by its former IPv4 address: non_responsive naming IPv4', async () => {
        expect(agent.formerIpv4, 'the IPv6-only fallback recorded no IPv4').toBeDefined();
        const host = await add(agent.formerIpv4!);
        expect(host.status).toBe('non_responsive');
        expect(host.statusReason).toMatch(/^connect failed .* over IPv4/);
      });
    }

    it('reports the IPv4-only agent non_responsive over IPv6 when added by its ULA', async () => {
      const host = await add(ipv4Only.primary.ula!);
      expect(host.status).toBe('non_responsive');
      expect(host.statusReason).toMatch(/^connect failed \(refused\) .* over IPv6/);
    });

    it('static IPv6 round-trips to getVdsCapabilities and the NIC table', async () => {
      const host = await expectUp(await add(agent.primary.ula!), agent);
      const attachment = await client.attachNetwork(host.id, {
        network: 'sixnet',
        nic: agent.primary.iface,
        ipv6: { bootProtocol: 'static', address: 'FD00:E2E::0007', prefix: 64 },
      });
      expect(attachment.agentAttributes).toMatchObject({ ipv6addr: 'fd00:e2e::7/64' });
      const caps = await agentCall('getVdsCapabilities');
      expect(caps.ok, JSON.stringify(caps)).toBe(true);
      const info = (
        caps as { value: { info: { networks: Record<string, { ipv6addrs: string[] }> } } }
      ).value.info;
      expect(info.networks.sixnet?.ipv6addrs).toContain('fd00:e2e::7/64');
      const rows = await client.listNics(host.id);
      expect(rows.find((r) => r.name === 'sixnet')?.address).toContain('fd00:e2e::7/64');
      expect(rows.find((r) => r.name === agent.primary.iface)?.ipv6Addresses.join(' ')).toContain(
        agent.primary.ula!,
      );
    });

    it('refuses prefix 129 at the engine (400, ipv6.prefix) and at the agent', async () => {
      const host = await expectUp(await add(agent.primary.ula!), agent);
      const err = await client
        .attachNetwork(host.id, {
          network: 'sixbad',
          nic: agent.primary.iface,
          ipv6: { bootProtocol: 'static', address: 'fd00:e2e::9', prefix: 129 },
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineFaultError);
      expect((err as EngineFaultError).status).toBe(400);
      expect((err as EngineFaultError).fault?.field).toBe('ipv6.prefix');
      const direct = await agentCall('setupNetworks', [
        { sixbad: { nic: agent.primary.iface, ipv6addr: 'fd00:e2e::9/129' } },
        {},
        {},
      ]);
      expect(direct).toMatchObject({ ok: false, phase: 'rpc', failure: 'status-nonzero' });
    });
  },
);
