// setupNetworks: vdsm's IPv6 config rules on the wire, and the recorded change read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, NETWORK_ERRORS, type LocalAgent } from '../../harness/index.ts';
import { agentNic, makePki, startAgent, type Pki } from './fixture.ts';

let pki: Pki;
let agent: LocalAgent;
const nic = agentNic();

beforeAll(async () => {
  pki = await makePki();
  agent = await startAgent(pki);
});
afterAll(async () => {
  await agent?.stop();
  pki?.cleanup();
});

const rpc = (method: string, params: unknown[]) =>
  call({ target: `[::1]:${agent.port}`, method, params, tls: pki.client });

describe('setupNetworks validation', () => {
  const rejected = [
    {
      why: 'an IPv6 gateway without an address',
      attrs: { nic, ipv6gateway: 'fd00::1' },
      code: NETWORK_ERRORS.badAddr,
    },
    {
      why: 'static ipv6addr with ipv6autoconf',
      attrs: { nic, ipv6addr: 'fd00::10/64', ipv6autoconf: true },
      code: NETWORK_ERRORS.badAddr,
      names: ["'fd00::10/64'", 'ipv6autoconf'],
    },
    {
      why: 'static ipv6addr with dhcpv6',
      attrs: { nic, ipv6addr: 'fd00::10/64', dhcpv6: true },
      code: NETWORK_ERRORS.badAddr,
      names: ["'fd00::10/64'", 'dhcpv6'],
    },
    {
      why: 'a prefix above 128',
      attrs: { nic, ipv6addr: 'fd00::10/129' },
      code: NETWORK_ERRORS.badAddr,
      names: ["prefix '129'"],
    },
    {
      why: 'a negative prefix',
      attrs: { nic, ipv6addr: 'fd00::10/-1' },
      code: NETWORK_ERRORS.badAddr,
      names: ["prefix '-1'"],
    },
    {
      why: 'a prefix that is not decimal',
      attrs: { nic, ipv6addr: 'fd00::10/64a' },
      code: NETWORK_ERRORS.badAddr,
      names: ["prefix '64a'"],
    },
    {
      why: 'an empty prefix',
      attrs: { nic, ipv6addr: 'fd00::10/' },
      code: NETWORK_ERRORS.badAddr,
      names: ["prefix ''"],
    },
    {
      why: 'a multicast gateway',
      attrs: { nic, ipv6addr: 'fd00::10/64', ipv6gateway: 'ff02::1' },
      code: NETWORK_ERRORS.badAddr,
      names: ["ipv6gateway 'ff02::1'", 'multicast'],
    },
    {
      why: 'the unspecified address as gateway',
      attrs: { nic, ipv6addr: 'fd00::10/64', ipv6gateway: '::' },
      code: NETWORK_ERRORS.badAddr,
      names: ["ipv6gateway '::'", 'unspecified'],
    },
    {
      why: 'an address without a prefix',
      attrs: { nic, ipv6addr: 'fd00::10' },
      code: NETWORK_ERRORS.badAddr,
    },
    {
      why: 'an invalid address',
      attrs: { nic, ipv6addr: 'fd00::10::1/64' },
      code: NETWORK_ERRORS.badAddr,
    },
    {
      why: 'a zone in a static address',
      attrs: { nic, ipv6addr: 'fe80::10%eth0/64' },
      code: NETWORK_ERRORS.badAddr,
    },
    {
      why: 'an IPv4 gateway without ipaddr',
      attrs: { nic, gateway: '192.0.2.1' },
      code: NETWORK_ERRORS.badAddr,
    },
    {
      why: 'a nic that does not exist',
      attrs: { nic: 'nosuchnic0', ipv6addr: 'fd00::10/64' },
      code: NETWORK_ERRORS.badNic,
    },
  ];
  for (const c of rejected) {
    it(`rejects ${c.why} with status ${c.code}`, async () => {
      const out = await rpc('setupNetworks', [{ testnet: c.attrs }, {}, {}]);
      expect(out).toMatchObject({
        ok: false,
        phase: 'rpc',
        failure: 'status-nonzero',
        code: String(c.code),
      });
      for (const n of c.names ?? []) expect((out as { message: string }).message).toContain(n);
    });
  }

  const accepted = [
    { why: 'prefix 0', attrs: { nic, ipv6addr: 'fd00::10/0' } },
    { why: 'prefix 128', attrs: { nic, ipv6addr: 'fd00::10/128' } },
    {
      why: 'a link-local gateway outside the prefix',
      attrs: { nic, ipv6addr: 'fd00::10/64', ipv6gateway: 'fe80::1' },
    },
  ];
  for (const c of accepted) {
    it(`accepts ${c.why}`, async () => {
      const out = await rpc('setupNetworks', [{ testnet: c.attrs }, {}, {}]);
      expect(out).toMatchObject({ ok: true, value: { status: { code: 0 } } });
    });
  }
});

describe('setupNetworks round trip', () => {
  it('records a static IPv6 address that getVdsCapabilities then reports', async () => {
    const set = await rpc('setupNetworks', [
      {
        ovirtmgmt: { nic, bootproto: 'none', ipv6addr: 'fd00:5::10/64', ipv6gateway: 'fd00:5::1' },
      },
      {},
      { connectivityCheck: false },
    ]);
    expect(set).toMatchObject({ ok: true, value: { status: { code: 0, message: 'Done' } } });
    const caps = await rpc('getVdsCapabilities', []);
    const net = (
      caps as {
        value: {
          info: {
            networks: Record<string, { ipv6addrs: string[] }>;
          };
        };
      }
    ).value.info.networks.ovirtmgmt;
    expect(net?.ipv6addrs).toContain('fd00:5::10/64');
    expect(net).toMatchObject({
      ipv6gateway: 'fd00:5::1',
      iface: nic,
      dhcpv6: false,
      dhcpv4: false,
    });
  });
  it('records the dynamic boot protocols as ipv6autoconf and dhcpv6', async () => {
    const set = await rpc('setupNetworks', [
      {
        auto6: { nic, ipv6autoconf: true, dhcpv6: false },
        dhcp6: { nic, ipv6autoconf: false, dhcpv6: true },
      },
      {},
      { connectivityCheck: false },
    ]);
    expect(set.ok).toBe(true);
    const caps = await rpc('getVdsCapabilities', []);
    const nets = (caps as { value: { info: { networks: Record<string, object> } } }).value.info
      .networks;
    expect(nets.auto6).toMatchObject({ ipv6autoconf: true, dhcpv6: false });
    expect(nets.dhcp6).toMatchObject({ ipv6autoconf: false, dhcpv6: true });
  });
  it('a rejected request changes nothing (all or nothing)', async () => {
    await rpc('setupNetworks', [
      { a: { nic, ipv6addr: 'fd00:6::1/64' }, b: { nic, ipv6gateway: 'fd00::1' } },
      {},
      {},
    ]);
    const caps = await rpc('getVdsCapabilities', []);
    expect(
      Object.keys((caps as { value: { info: { networks: object } } }).value.info.networks),
    ).not.toContain('a');
  });
});
