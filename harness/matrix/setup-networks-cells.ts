// The agent's own setupNetworks validation, sent as the engine sends it (vdsm's verb: networks,
// bondings, options) from the agent's own host. The engine checks these values first, so only
// these cells show whether the agent itself refuses what it must not apply, and says what was
// wrong: a vendor's agent is also driven by other engines and by hand.
import type { Cell, CellContext, Expectation } from './cell.ts';

const ADDRESS = 'fd00:5e7::10';
const VDSM = 'vdsm netmodels.IPv6 (ERR_BAD_ADDR)';
const PREFIX_RANGE =
  'seed: Setup Host Network, the IPv6 subnet is a single number from 0-128; RFC 4291 §2.3';

type Attrs = Record<string, string | boolean>;

/** One network on the agent's main NIC; each cell its own, so none sees another's. */
function networks(ctx: CellContext, network: string, attrs: Attrs) {
  return {
    method: 'setupNetworks',
    params: [
      { [network]: { nic: ctx.agent.primary.iface, bootproto: 'none', ...attrs } },
      {},
      { connectivityCheck: false },
    ],
  };
}

interface Case {
  id: string;
  title: string;
  source: string;
  /** The network's name: a Linux interface name, at most 15 characters. */
  network: string;
  attrs: Attrs;
  expect: Expectation;
}

const short = { ipv6autoconf: 'autoconf', dhcpv6: 'dhcpv6' } as const;
const accepted: Expectation = { kind: 'accepted' };
const refused = (...names: string[]): Expectation => ({ kind: 'refused', names });

const prefix = (len: string, expect: Expectation, source: string): Case => ({
  id: `setup-networks.prefix-${
    { '-1': 'negative', '64a': 'not-decimal', '': 'empty' }[len] ?? len
  }${expect.kind === 'refused' ? '-refused' : ''}`,
  title:
    expect.kind === 'accepted'
      ? `ipv6addr ${ADDRESS}/${len} is accepted`
      : `ipv6addr ${ADDRESS}/${len} is refused, the message naming the prefix '${len}'`,
  source,
  network: `sg-prefix${len || 'empty'}`,
  attrs: { ipv6addr: `${ADDRESS}/${len}` },
  expect,
});

const CASES: Case[] = [
  prefix('0', accepted, PREFIX_RANGE),
  prefix('64', accepted, PREFIX_RANGE),
  prefix(
    '128',
    accepted,
    `${PREFIX_RANGE} (vdsm's own check stops at 127: a bug, not the contract)`,
  ),
  prefix('129', refused('129'), `RFC 4291 §2.3 (at most 128 bits); ${VDSM}`),
  prefix('-1', refused('-1'), `RFC 4291 §2.3 (a decimal value); ${VDSM}`),
  prefix('64a', refused('64a'), `RFC 4291 §2.3 (a decimal value); ${VDSM}`),
  prefix('', refused(''), `RFC 4291 §2.3 (addr/prefix-length); ${VDSM}`),
  {
    id: 'setup-networks.gateway-multicast-refused',
    title: 'ipv6gateway ff02::1 (multicast) is refused, the message naming it',
    source:
      'RFC 4291 §2.7 (a multicast address names a group, never one next hop); the kernel refuses a non-unicast gateway',
    network: 'sg-gw-mcast',
    attrs: { ipv6addr: `${ADDRESS}/64`, ipv6gateway: 'ff02::1' },
    expect: refused('ff02::1'),
  },
  {
    id: 'setup-networks.gateway-unspecified-refused',
    title: 'ipv6gateway :: (unspecified) is refused, the message naming it',
    source: "RFC 4291 §2.5.2 (never a destination); getVdsCapabilities reports '::' for no gateway",
    network: 'sg-gw-unspec',
    attrs: { ipv6addr: `${ADDRESS}/64`, ipv6gateway: '::' },
    expect: refused('::'),
  },
  {
    id: 'setup-networks.gateway-link-local',
    title: 'a link-local ipv6gateway, outside the address prefix, is accepted',
    source:
      "RFC 4861 §4.2 and §6.3.4 (routers are known by their link-local address); vdsm checks only the gateway's syntax",
    network: 'sg-gw-ll',
    attrs: { ipv6addr: `${ADDRESS}/64`, ipv6gateway: 'fe80::1' },
    expect: accepted,
  },
  ...(['ipv6autoconf', 'dhcpv6'] as const).map((dynamic): Case => ({
    id: `setup-networks.static-with-${short[dynamic]}-refused`,
    title: `a static ipv6addr together with ${dynamic} is refused, the message naming both`,
    source: `${VDSM}: 'Mixing of static and dynamic IPv6 configuration is currently not supported'`,
    network: `sg-mix-${short[dynamic]}`,
    attrs: { ipv6addr: `${ADDRESS}/64`, [dynamic]: true },
    expect: refused(`${ADDRESS}/64`, dynamic),
  })),
];

/** The agent's name: these cells test validation, so the certificate check must not depend on IP names. */
const agentName = (ctx: CellContext) => ctx.agent.aliases[0];

export const SETUP_NETWORKS_CELLS: readonly Cell[] = CASES.map((c) => ({
  id: c.id,
  title: c.title,
  source: c.source,
  from: 'agent-host',
  role: 'wildcard',
  spec: (ctx) => `[::1]:${ctx.agentSpec.managementPort}`,
  identity: agentName,
  call: (ctx) => networks(ctx, c.network, c.attrs),
  expect: () => c.expect,
}));
