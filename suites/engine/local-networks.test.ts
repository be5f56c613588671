// Static IPv6 through engine -> agent setupNetworks -> getVdsCapabilities, the NIC table, the
// engine and the agent both refusing invalid configurations, and storage connection forms.
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  EngineFaultError,
  startLocalAgent,
  type EngineHost,
  type LocalAgent,
  type NetworkAttachmentRequest,
} from '../../harness/index.ts';
import { agentNic, makeTls, runEngine, type RunningEngine, type RunTls } from './support.ts';

let tls: RunTls;
let run: RunningEngine;
let root: string;
let agent: LocalAgent;
let host: EngineHost;
const nic = agentNic();

beforeAll(async () => {
  tls = await makeTls();
  root = await mkdtemp(join(tmpdir(), 'sixgate-engine-net-'));
  [run, agent] = await Promise.all([
    runEngine(tls),
    startLocalAgent({ root, tls: { ca: tls.ca, ...tls.agent } }),
  ]);
  host = await run.client.addHost({ name: 'h', address: '::1', port: agent.port });
});
afterAll(async () => {
  await Promise.all([run?.[Symbol.asyncDispose](), agent?.stop()]);
  await rm(root, { recursive: true, force: true });
});

/** Straight to the agent, as the engine would call it, with the engine's client certificate. */
function agentSetup(attrs: Record<string, unknown>) {
  return call({
    target: `[::1]:${agent.port}`,
    method: 'setupNetworks',
    params: [{ sixbad: { nic, ...attrs } }, {}, {}],
    tls: { ca: tls.ca, cert: tls.engine.clientCert, key: tls.engine.clientKey },
  });
}

async function engineFault(request: NetworkAttachmentRequest) {
  const err = await run.client.attachNetwork(host.id, request).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineFaultError);
  return err as EngineFaultError;
}

describe('network attachments through the reference engine', () => {
  it('static IPv6 round-trips to getVdsCapabilities and the NIC table', async () => {
    expect(host.status, host.statusReason).toBe('up');
    const attachment = await run.client.attachNetwork(host.id, {
      network: 'sixnet',
      nic,
      ipv6: {
        bootProtocol: 'static',
        address: 'FD00:6:0:0::0010',
        prefix: '64',
        gateway: 'fd00:6::1',
      },
    });
    expect(attachment.agentAttributes).toMatchObject({
      ipv6addr: 'fd00:6::10/64',
      ipv6gateway: 'fd00:6::1',
      ipv6autoconf: false,
      dhcpv6: false,
    });
    const caps = await call({
      target: `[::1]:${agent.port}`,
      method: 'getVdsCapabilities',
      tls: { ca: tls.ca, cert: tls.engine.clientCert, key: tls.engine.clientKey },
    });
    expect(caps.ok).toBe(true);
    const info = (
      caps as {
        value: { info: { networks: Record<string, { ipv6addrs: string[]; ipv6gateway: string }> } };
      }
    ).value.info;
    expect(info.networks.sixnet?.ipv6addrs).toContain('fd00:6::10/64');
    expect(info.networks.sixnet?.ipv6gateway).toBe('fd00:6::1');
    const rows = await run.client.listNics(host.id);
    const row = rows.find((r) => r.name === 'sixnet' && r.kind === 'network');
    expect(row?.address).toContain('fd00:6::10/64');
    expect(row?.ipv6Gateway).toBe('fd00:6::1');
  });

  it("shows the NIC's IPv6 addresses as text in the address column", async () => {
    const expected = (networkInterfaces()[nic] ?? [])
      .filter((a) => a.family === 'IPv6')
      .map((a) => a.cidr);
    expect(expected.length, `${nic} has no IPv6 address to look for`).toBeGreaterThan(0);
    const row = (await run.client.listNics(host.id)).find(
      (r) => r.name === nic && r.kind === 'nic',
    );
    for (const cidr of expected) {
      expect(row?.address.split(', ')).toContain(cidr);
      expect(row?.ipv6Addresses).toContain(cidr);
    }
  });

  it('dhcp and autoconf map to the historic flags', async () => {
    const dhcp = await run.client.attachNetwork(host.id, {
      network: 'dyn6',
      nic,
      ipv6: { bootProtocol: 'dhcp' },
    });
    expect(dhcp.agentAttributes).toMatchObject({ dhcpv6: true, ipv6autoconf: false });
    expect(dhcp.agentAttributes).not.toHaveProperty('ipv6addr');
    const slaac = await run.client.attachNetwork(host.id, {
      network: 'auto6',
      nic,
      ipv6: { bootProtocol: 'autoconf' },
    });
    expect(slaac.agentAttributes).toMatchObject({ dhcpv6: false, ipv6autoconf: true });
  });

  it('static IPv4 with a prefix-style netmask', async () => {
    const v4 = await run.client.attachNetwork(host.id, {
      network: 'four',
      nic,
      ipv4: {
        bootProtocol: 'static',
        address: '192.0.2.77',
        netmask: '255.255.255.0',
        gateway: '192.0.2.1',
      },
    });
    expect(v4.agentAttributes).toMatchObject({
      bootproto: 'none',
      ipaddr: '192.0.2.77',
      netmask: '255.255.255.0',
      gateway: '192.0.2.1',
    });
  });

  // [case, engine request ipv6, engine field, the same config as agent attributes, agent code]
  const INVALID: Array<
    [string, NetworkAttachmentRequest['ipv6'], string, Record<string, unknown>, number]
  > = [
    [
      'gateway without an address',
      { bootProtocol: 'none', gateway: 'fd00:6::1' },
      'ipv6.gateway',
      { ipv6gateway: 'fd00:6::1' },
      22,
    ],
    [
      'prefix 129',
      { bootProtocol: 'static', address: 'fd00:6::9', prefix: 129 },
      'ipv6.prefix',
      { ipv6addr: 'fd00:6::9/129' },
      22,
    ],
    [
      'nine groups',
      { bootProtocol: 'static', address: '1:2:3:4:5:6:7:8:9::', prefix: 64 },
      'ipv6.address',
      { ipv6addr: '1:2:3:4:5:6:7:8:9::/64' },
      22,
    ],
    [
      'static and dynamic at once',
      { bootProtocol: 'dhcp', address: 'fd00:6::9', prefix: 64 },
      'ipv6.address',
      { ipv6addr: 'fd00:6::9/64', dhcpv6: true },
      // vdsm's ERR_BAD_PARAMS: a static address with a dynamic method is a bad combination.
      22,
    ],
  ];

  it.each(INVALID)(
    'refuses %s at the engine and at the agent',
    async (_name, ipv6, field, attrs, agentCode) => {
      const fault = await engineFault({ network: 'sixbad', nic, ipv6 });
      expect(fault.status).toBe(400);
      expect(fault.fault?.field).toBe(field);
      const direct = await agentSetup(attrs);
      expect(direct.ok).toBe(false);
      expect(direct).toMatchObject({
        phase: 'rpc',
        failure: 'status-nonzero',
        code: String(agentCode),
      });
    },
  );

  it("surfaces the agent's own refusal with its code", async () => {
    const fault = await engineFault({
      network: 'sixnic',
      nic: 'nosuchnic0',
      ipv6: { bootProtocol: 'autoconf' },
    });
    expect(fault.status).toBe(400);
    expect(fault.fault).toMatchObject({ code: 'AGENT_REFUSED', agentCode: 23 });
    expect(fault.fault?.detail).toContain('nosuchnic0');
  });
});

describe('storage connections', () => {
  it('takes address + path and the combined bracketed form alike', async () => {
    const split = await run.client.addStorageConnection({
      type: 'nfs',
      address: 'FD00::0005',
      path: '/exports/data',
    });
    const combined = await run.client.addStorageConnection({
      type: 'nfs',
      connection: '[fd00::5]:/exports/data',
    });
    for (const c of [split, combined]) {
      expect(c).toMatchObject({
        type: 'nfs',
        address: 'fd00::5',
        path: '/exports/data',
        connection: '[fd00::5]:/exports/data',
      });
    }
    const v4 = await run.client.addStorageConnection({
      type: 'nfs',
      connection: '192.0.2.5:/exports/iso',
    });
    expect(v4.connection).toBe('192.0.2.5:/exports/iso');
    const ids = (await run.client.listStorageConnections()).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([split.id, combined.id, v4.id]));
    await run.client.deleteStorageConnection(v4.id);
    expect((await run.client.listStorageConnections()).map((c) => c.id)).not.toContain(v4.id);
  });
});
