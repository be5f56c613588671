// setupNetworks: vdsm's IPv6 config rules on the wire, and the recorded change read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, NETWORK_ERRORS, type LocalAgent } from '../../harness/index.ts';
import { makePki, startAgent, type Pki } from './fixture.ts';
import { networkInterfaces } from 'node:os';

let pki: Pki;
let agent: LocalAgent;
const nic = Object.keys(networkInterfaces()).find((n) => n !== 'lo') ?? 'lo';

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
      code: NETWORK_ERRORS.badParams,
    },
    {
      why: 'static ipv6addr with dhcpv6',
      attrs: { nic, ipv6addr: 'fd00::10/64', dhcpv6: true },
      code: NETWORK_ERRORS.badParams,
    },
    {
      why: 'a prefix above 128',
      attrs: { nic, ipv6addr: 'fd00::10/129' },
      code: NETWORK_ERRORS.badAddr,
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
            networks: Record<string, { ipv6addrs: string[]; ipv6gateway: string; iface: string }>;
          };
        };
      }
    ).value.info.networks.ovirtmgmt;
    expect(net?.ipv6addrs).toContain('fd00:5::10/64');
    expect(net).toMatchObject({ ipv6gateway: 'fd00:5::1', iface: nic });
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
