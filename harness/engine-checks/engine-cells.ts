import { EngineFaultError } from '../engine-client/client.ts';
import type { EngineHost } from '../engine-client/api.ts';
import { sameHost } from '../matrix/check.ts';
import type { StartedHost } from '../providers/contract.ts';
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

const need = (value: string | undefined, what: string): string => {
  if (!value) throw new Error(`the topology offers no ${what}`);
  return value;
};

async function addedUp(ctx: EngineContext, on: StartedHost): Promise<EngineHost | string> {
  const host = await add(ctx, need(on.primary.ula, 'ULA on the agent'));
  return upProblem(host) ?? host;
}

export const ENGINE_CELLS: readonly EngineCell[] = [
  {
    id: 'engine.add-host.ula',
    title: "the engine adds the agent by its ULA; lastClient is the engine's ULA",
    source: `${SEED_ADD}; RFC 4193`,
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
    expected: (mode) =>
      mode === 'dual-stack' ? 'up over IPv4' : 'non_responsive, the reason naming IPv4',
    check: async (ctx) => {
      if (ctx.mode === 'dual-stack') {
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
    expected: () => 'accepted; getVdsCapabilities and the NIC table show fd00:e2e::7/64',
    check: async (ctx) => {
      const host = await addedUp(ctx, ctx.agent);
      if (typeof host === 'string') return host;
      await ctx.client.attachNetwork(host.id, {
        network: 'sixnet',
        nic: ctx.agent.primary.iface,
        ipv6: { bootProtocol: 'static', address: 'FD00:E2E::0007', prefix: 64 },
      });
      const caps = await ctx.engine.host.probe.request({
        op: 'call',
        request: {
          target: `[${ctx.agent.primary.ula}]:${host.port}`,
          method: 'getVdsCapabilities',
          tls: { ca: ctx.tls.ca, cert: ctx.tls.clientCert, key: ctx.tls.clientKey },
        },
      });
      if (!caps.ok) return `getVdsCapabilities failed afterwards: ${caps.message}`;
      const nets = (
        caps.value as { info?: { networks?: Record<string, { ipv6addrs?: string[] }> } }
      ).info?.networks;
      if (!nets?.sixnet?.ipv6addrs?.includes('fd00:e2e::7/64')) {
        return `the agent's network sixnet shows ${JSON.stringify(nets?.sixnet?.ipv6addrs)}`;
      }
      const row = (await ctx.client.listNics(host.id)).find((r) => r.name === 'sixnet');
      return row?.address.includes('fd00:e2e::7/64')
        ? undefined
        : `the NIC table shows ${JSON.stringify(row?.address)} for sixnet`;
    },
  },
  {
    id: 'engine.network.prefix-129-refused',
    title: 'an IPv6 prefix of 129 is refused with 400 naming the field',
    source: `${SEED_NET}; RFC 4291 §2.3`,
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
