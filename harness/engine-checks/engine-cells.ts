// The engine's end-to-end cells: adding the target's agents by every address form, every field of
// an IPv6 network attachment checked where it lands (the agent's getVdsCapabilities afterwards),
// and storage by a bracketed address. Each declares the agent roles it drives.
import { EngineFaultError } from '../engine-client/client.ts';
import type { EngineHost, NetworkAttachmentRequest } from '../engine-client/api.ts';
import { need } from '../matrix/cell.ts';
import { sameHost } from '../matrix/check.ts';
import { NETWORK_MODES, type StartedHost } from '../providers/contract.ts';
import type { EngineCell, EngineContext } from './engine-cell.ts';

const SEED_ADD = 'seed: the engine adds a host by address (IPv4, IPv6, link-local with zone, name)';
const SEED_NET = 'seed: static boot protocol on a host network: IP, prefix 0–128, gateway';
const SEED_NFS = 'seed: add/import storage by address';

let names = 0;
const add = (ctx: EngineContext, address: string, identity?: string) =>
  ctx.client.addHost({ name: `e2e-${++names}`, address, ...(identity ? { identity } : {}) });

/** Up, and the agent's lastClient is the engine's own end of that connection. */
function upProblem(host: EngineHost, from?: string): string | undefined {
  if (host.status !== 'up')
    return `ended ${host.status}: ${host.statusReason ?? 'no reason given'}`;
  const local = host.connection?.local?.address;
  if (!local) return 'the engine recorded no local address for the connection';
  if (sameHost(host.lastClient ?? '') !== sameHost(local)) {
    return `the agent saw lastClient ${host.lastClient}, but the engine connected from ${local}`;
  }
  if (from && sameHost(local) !== sameHost(from)) {
    return `the engine connected from ${local}, not from its address ${from}`;
  }
  return undefined;
}

function nonResponsiveProblem(host: EngineHost, family: RegExp): string | undefined {
  if (host.status !== 'non_responsive') return `ended ${host.status}; expected non_responsive`;
  if (!family.test(host.statusReason ?? '')) {
    return `the reason does not name the address family ${family}: ${host.statusReason}`;
  }
  return undefined;
}

async function addedUp(ctx: EngineContext, on: StartedHost): Promise<EngineHost | string> {
  const host = await add(ctx, need(on.primary.ula, 'ULA on the agent'));
  return upProblem(host) ?? host;
}

/** A network as getVdsCapabilities reports it, in the fields these cells read. */
interface AgentNetwork {
  ipv6addrs?: unknown;
  ipv6gateway?: unknown;
  ipv6autoconf?: unknown;
  dhcpv6?: unknown;
}

/**
 * Adds the agent, attaches `network` on its main NIC with these IPv6 settings through the
 * engine, and reads the network back from the agent itself: what the agent applied, not what
 * the engine remembers sending.
 */
async function attached(
  ctx: EngineContext,
  network: string,
  ipv6: NonNullable<NetworkAttachmentRequest['ipv6']>,
): Promise<{ host: EngineHost; net: AgentNetwork } | string> {
  const host = await addedUp(ctx, ctx.agent);
  if (typeof host === 'string') return host;
  await ctx.client.attachNetwork(host.id, { network, nic: ctx.agent.primary.iface, ipv6 });
  const caps = await ctx.engine.host.probe.request({
    op: 'call',
    request: {
      target: `[${need(ctx.agent.primary.ula, 'ULA on the agent')}]:${host.port}`,
      method: 'getVdsCapabilities',
      tls: { ca: ctx.tls.ca, cert: ctx.tls.clientCert, key: ctx.tls.clientKey },
    },
  });
  if (!caps.ok) return `getVdsCapabilities failed afterwards: ${caps.message}`;
  const nets = (caps.value as { info?: { networks?: Record<string, AgentNetwork> } }).info
    ?.networks;
  const net = nets?.[network];
  if (!net) {
    const known = Object.keys(nets ?? {}).join(', ') || 'none';
    return `getVdsCapabilities shows no network ${network} afterwards (networks: ${known})`;
  }
  return { host, net };
}

const sameCidr = (a: string, b: string) => {
  const [addrA = '', lenA] = a.split('/');
  const [addrB = '', lenB] = b.split('/');
  return sameHost(addrA) === sameHost(addrB) && Number(lenA) === Number(lenB);
};

/** Undefined when every expected field of the agent's network has the expected value. */
function landed(
  network: string,
  net: AgentNetwork,
  want: { address?: string; gateway?: string; ipv6autoconf: boolean; dhcpv6: boolean },
): string | undefined {
  const problems: string[] = [];
  const addrs = Array.isArray(net.ipv6addrs) ? net.ipv6addrs : [];
  if (want.address && !addrs.some((a) => typeof a === 'string' && sameCidr(a, want.address!)))
    problems.push(`ipv6addrs ${JSON.stringify(net.ipv6addrs)} lacks ${want.address}`);
  const gw = net.ipv6gateway;
  if (want.gateway && !(typeof gw === 'string' && sameHost(gw) === sameHost(want.gateway)))
    problems.push(`ipv6gateway is ${JSON.stringify(gw)}, not ${want.gateway}`);
  for (const key of ['ipv6autoconf', 'dhcpv6'] as const) {
    if (net[key] !== want[key])
      problems.push(`${key} is ${JSON.stringify(net[key])}, not ${want[key]}`);
  }
  return problems.length
    ? `the agent's network ${network} shows ${problems.join('; ')}`
    : undefined;
}

export const ENGINE_CELLS: readonly EngineCell[] = [
  {
    id: 'engine.add-host.ula',
    title: "the engine adds the agent by its ULA; lastClient is the engine's ULA",
    source: `${SEED_ADD}; RFC 4193`,
    roles: ['wildcard'],
    expected: () => 'up, with lastClient the engine ULA',
    check: async (ctx) =>
      upProblem(
        await add(ctx, need(ctx.agent.primary.ula, 'ULA on the agent')),
        ctx.engine.host.primary.ula,
      ),
  },
  {
    id: 'engine.add-host.link-local-zone',
    title: "the engine adds the agent by link-local with the engine's own zone",
    source: `${SEED_ADD}; RFC 4007 §11`,
    roles: ['wildcard'],
    expected: () => 'up, the zone kept, lastClient the engine link-local',
    check: async (ctx) => {
      const zone = ctx.engine.host.primary.iface;
      const ll = need(ctx.agent.primary.linkLocal, 'link-local address on the agent');
      const host = await add(ctx, `${ll}%${zone}`, ctx.agent.aliases[0]);
      const problem = upProblem(host, ctx.engine.host.primary.linkLocal);
      if (problem) return problem;
      return host.zone === zone ? undefined : `the engine recorded zone ${host.zone}, not ${zone}`;
    },
  },
  {
    id: 'engine.add-host.aaaa-only-name',
    title: 'the engine adds the agent by a name with only an AAAA record',
    source: `${SEED_ADD}; RFC 3596`,
    roles: ['wildcard'],
    expected: () => 'up over IPv6',
    check: async (ctx) => {
      const host = await add(ctx, need(ctx.agent.aaaaOnlyName, 'AAAA-only name for the agent'));
      return upProblem(host, ctx.engine.host.primary.ula);
    },
  },
  {
    id: 'engine.add-host.ipv4',
    title: 'the engine adds the agent by IPv4 on its :: listener (dual-stack only)',
    source: `${SEED_ADD}; Linux ipv6(7) bindv6only=0`,
    roles: ['wildcard'],
    expected: (mode) =>
      NETWORK_MODES[mode].ipv4 ? 'up over IPv4' : 'non_responsive, the reason naming IPv4',
    check: async (ctx) => {
      if (NETWORK_MODES[ctx.mode].ipv4) {
        const host = await add(ctx, need(ctx.agent.primary.ipv4, 'IPv4 on the agent'));
        return upProblem(host, ctx.engine.host.primary.ipv4);
      }
      const former = need(ctx.agent.formerIpv4, 'former IPv4 of the agent');
      return nonResponsiveProblem(await add(ctx, former), /IPv4/);
    },
  },
  {
    id: 'engine.add-host.ipv4-only-agent',
    title: 'an agent listening on IPv4 only ends non_responsive, the reason naming IPv6',
    source: 'seed: historic default management_ip = 0.0.0.0',
    roles: ['ipv4-any'],
    expected: () => 'non_responsive, the reason naming IPv6',
    check: async (ctx) =>
      nonResponsiveProblem(
        await add(ctx, need(ctx.ipv4Only.primary.ula, 'ULA on the IPv4-only agent')),
        /IPv6/,
      ),
  },
  {
    id: 'engine.network.static-ipv6',
    title: 'static IPv6 on a host network reaches the agent and shows in its capabilities',
    source: `${SEED_NET}; vdsm setupNetworks ipv6addr`,
    roles: ['wildcard'],
    expected: () =>
      'accepted; the agent shows fd00:e2e::7/64 with ipv6autoconf and dhcpv6 false, and so does the NIC table',
    check: async (ctx) => {
      const done = await attached(ctx, 'sixnet', {
        bootProtocol: 'static',
        address: 'FD00:E2E::0007',
        prefix: 64,
      });
      if (typeof done === 'string') return done;
      const problem = landed('sixnet', done.net, {
        address: 'fd00:e2e::7/64',
        ipv6autoconf: false,
        dhcpv6: false,
      });
      if (problem) return problem;
      const row = (await ctx.client.listNics(done.host.id)).find((r) => r.name === 'sixnet');
      return row?.address.includes('fd00:e2e::7/64')
        ? undefined
        : `the NIC table shows ${JSON.stringify(row?.address)} for sixnet`;
    },
  },
  {
    id: 'engine.network.static-gateway',
    title:
      "static IPv6 with a /80 prefix and a gateway: all three show in the agent's capabilities",
    source: `${SEED_NET}; vdsm setupNetworks ipv6addr, ipv6gateway`,
    roles: ['wildcard'],
    expected: () => 'accepted; the agent shows fd00:e2e::9/80 and ipv6gateway fd00:e2e::1',
    check: async (ctx) => {
      const done = await attached(ctx, 'sixgw', {
        bootProtocol: 'static',
        address: 'fd00:e2e::9',
        prefix: 80,
        gateway: 'fd00:e2e::1',
      });
      if (typeof done === 'string') return done;
      return landed('sixgw', done.net, {
        address: 'fd00:e2e::9/80',
        gateway: 'fd00:e2e::1',
        ipv6autoconf: false,
        dhcpv6: false,
      });
    },
  },
  ...(
    [
      ['autoconf', 'sixauto', { ipv6autoconf: true, dhcpv6: false }],
      ['dhcp', 'sixdhcp', { ipv6autoconf: false, dhcpv6: true }],
    ] as const
  ).map(([protocol, network, want]): EngineCell => ({
    id: `engine.network.${protocol === 'dhcp' ? 'dhcpv6' : protocol}`,
    title: `boot protocol ${protocol === 'dhcp' ? 'DHCPv6' : 'autoconf (SLAAC)'} reaches the agent and shows in its capabilities`,
    source: `seed: Setup Host Network boot protocol; vdsm setupNetworks ipv6autoconf, dhcpv6`,
    roles: ['wildcard'],
    expected: () =>
      `accepted; the agent shows ipv6autoconf ${want.ipv6autoconf} and dhcpv6 ${want.dhcpv6}`,
    check: async (ctx) => {
      const done = await attached(ctx, network, { bootProtocol: protocol });
      return typeof done === 'string' ? done : landed(network, done.net, want);
    },
  })),
  {
    id: 'engine.network.prefix-129-refused',
    title: 'an IPv6 prefix of 129 is refused with 400 naming the field',
    source: `${SEED_NET}; RFC 4291 §2.3`,
    roles: ['wildcard'],
    expected: () => '400 with fault.field ipv6.prefix',
    check: async (ctx) => {
      const host = await addedUp(ctx, ctx.agent);
      if (typeof host === 'string') return host;
      try {
        await ctx.client.attachNetwork(host.id, {
          network: 'sixbad',
          nic: ctx.agent.primary.iface,
          ipv6: { bootProtocol: 'static', address: 'fd00:e2e::8', prefix: 129 },
        });
        return 'the engine accepted prefix 129';
      } catch (err) {
        if (!(err instanceof EngineFaultError)) throw err;
        if (err.status !== 400 || err.fault?.field !== 'ipv6.prefix') {
          return `answered ${err.status} naming ${err.fault?.field ?? 'no field'}`;
        }
        return undefined;
      }
    },
  },
  {
    id: 'engine.storage.bracketed-ipv6',
    title: 'a storage connection [fd00::5]:/exports/data is accepted as host fd00::5',
    source: `${SEED_NFS}; RFC 3986 §3.2.2`,
    roles: [],
    expected: () => 'accepted: address fd00::5, path /exports/data',
    check: async (ctx) => {
      const c = await ctx.client.addStorageConnection({
        type: 'nfs',
        connection: '[fd00::5]:/exports/data',
      });
      return c.address === 'fd00::5' && c.path === '/exports/data'
        ? undefined
        : `recorded address ${c.address}, path ${c.path}`;
    },
  },
];
