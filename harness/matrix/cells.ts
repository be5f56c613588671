// The connection matrix as data: the seed's documented client forms first, then what real
// deployments hit, then the agent's own setupNetworks validation (setup-networks-cells.ts).
// Specs a client rejects before any packet leaves are not here: they test sixgate's client, not
// the target, and live in suites/client.
import ipaddr from 'ipaddr.js';
import { NETWORK_MODES, type NetworkMode } from '../providers/contract.ts';
import {
  type Cell,
  type CellContext,
  type Expectation,
  formable,
  need,
  type Unformable,
} from './cell.ts';
import { SETUP_NETWORKS_CELLS } from './setup-networks-cells.ts';

const SEED = "seed: documented client call 'vdsClient -s <host> getVdsCaps'";
const connects: Expectation = { kind: 'connects' };
const refused: Expectation = { kind: 'fails', phases: ['connect'], failures: ['refused'] };
/** An IPv4 path on an IPv6-only network: no route, or nothing answers. */
const noIpv4Path: Expectation = {
  kind: 'fails',
  phases: ['connect'],
  failures: ['unreachable', 'timeout', 'refused'],
};
const ipv4Cell = (mode: NetworkMode): Expectation =>
  NETWORK_MODES[mode].ipv4 ? connects : noIpv4Path;

/** Eight zero-padded groups: the longest text form of the same address. */
const fullForm = (a: string) =>
  ipaddr.IPv6.parse(a)
    .parts.map((p) => p.toString(16).padStart(4, '0'))
    .join(':');

const withPort = (host: string, port: number | undefined) =>
  port === undefined ? host : `${host}:${port}`;

/** `port` 'none' means the form without a port, which only reaches an agent on 54321. */
function spec(
  pick: (ctx: CellContext) => string,
  port: 'none' | 'agent' | number,
): (ctx: CellContext) => string | Unformable {
  return (ctx) =>
    formable(() => {
      const host = pick(ctx);
      if (port === 'none') {
        return ctx.agentSpec.managementPort === 54321
          ? host
          : { skip: `the agent listens on ${ctx.agentSpec.managementPort}, not the default 54321` };
      }
      return withPort(host, port === 'agent' ? ctx.agentSpec.managementPort : port);
    });
}

const ula = (ctx: CellContext) => need(ctx.agent.primary.ula, 'ULA on the agent');
/** On IPv6-only, the address the fallback took away: the cell proves no IPv4 path is left. */
const ipv4 = (ctx: CellContext) =>
  need(ctx.agent.primary.ipv4 ?? ctx.agent.formerIpv4, 'IPv4 address on the agent');
const linkLocal = (ctx: CellContext) =>
  need(ctx.agent.primary.linkLocal, 'link-local address on the agent');
const bracket =
  (f: (ctx: CellContext) => string, zone?: (c: CellContext) => string) => (ctx: CellContext) =>
    `[${f(ctx)}${zone ? `%${zone(ctx)}` : ''}]`;
const agentZone = (ctx: CellContext) => ctx.agent.primary.iface;
const peerZone = (ctx: CellContext) => ctx.peer.primary.iface;
const agentName = (ctx: CellContext) => ctx.agent.aliases[0];

/** The documented forms, run on the agent's own host against `management_ip = ::`. */
const documented: Cell[] = [
  { id: 'local.loopback.bracketed', form: '[::1]', pick: () => '[::1]', port: 'none' as const },
  {
    id: 'local.loopback.bracketed-port',
    form: '[::1]:54321',
    pick: () => '[::1]',
    port: 'agent' as const,
  },
  {
    id: 'local.name.localhost6',
    form: 'localhost6',
    pick: () => 'localhost6',
    port: 'none' as const,
  },
  {
    id: 'local.name.localhost6-port',
    form: 'localhost6:54321',
    pick: () => 'localhost6',
    port: 'agent' as const,
  },
  {
    id: 'local.link-local.zone',
    form: '[fe80::…%iface]',
    pick: bracket(linkLocal, agentZone),
    port: 'none' as const,
    ll: true,
  },
  {
    id: 'local.link-local.zone-port',
    form: '[fe80::…%iface]:54321',
    pick: bracket(linkLocal, agentZone),
    port: 'agent' as const,
    ll: true,
  },
].map((c) => ({
  id: c.id,
  title: `${c.form} from the agent's own host reaches getVdsCapabilities`,
  source: `${SEED}, documented form ${c.form}`,
  from: 'agent-host' as const,
  role: 'wildcard' as const,
  spec: spec(c.pick, c.port),
  identity: c.ll ? agentName : undefined,
  needs: [c.ll ? 'link-local' : '', c.form.startsWith('localhost6') ? 'localhost6' : ''].filter(
    Boolean,
  ),
  expect: () => connects,
}));

const capabilities: Cell = {
  id: 'local.capabilities.addresses',
  title: "getVdsCapabilities reports the host's own IPv6 (and IPv4) addresses as addr/prefixlen",
  source: 'seed: getVdsCapabilities nics ipv6addrs (addr/prefixlen), ipv6gateway (:: when none)',
  from: 'agent-host',
  role: 'wildcard',
  spec: spec(() => '[::1]', 'agent'),
  expect: () => ({ kind: 'reports-addresses' }),
};

const listener: Cell = {
  id: 'local.listener.wildcard',
  title: 'the agent listens on the wildcard :::54321 with management_ip = ::',
  source: "seed: 'netstat -tanp' shows 'tcp6 0 0 :::54321 :::* LISTEN'",
  from: 'agent-host',
  role: 'wildcard',
  spec: () => ':::54321',
  expect: () => ({ kind: 'listens', display: ':::54321' }),
};

/** What real deployments add: the engine's host, other text forms, other listeners. */
const deployment: Cell[] = [
  {
    id: 'local.loopback.bare',
    title: 'a bare ::1 is the loopback address, never host ":" port 1',
    source: "known bug: a client's host:port regex split '::1' into host ':' and port 1",
    from: 'agent-host',
    role: 'wildcard',
    spec: spec(() => '::1', 'none'),
    expect: () => connects,
  },
  {
    id: 'local.loopback.ipv4',
    title: '127.0.0.1 reaches a :: listener (bindv6only=0)',
    source: 'Linux ipv6(7): a :: listener accepts IPv4 as ::ffff:a.b.c.d unless IPV6_V6ONLY',
    from: 'agent-host',
    role: 'wildcard',
    spec: spec(() => '127.0.0.1', 'agent'),
    expect: () => connects,
  },
  {
    id: 'peer.ula.bracketed-port',
    title: "the engine's host reaches the agent's ULA",
    source: 'RFC 4193 §3 (unique local addresses); RFC 3986 §3.2.2 (bracketed literal)',
    from: 'peer',
    role: 'wildcard',
    spec: spec(bracket(ula), 'agent'),
    expect: () => connects,
  },
  {
    id: 'peer.ula.bare',
    title: 'a bare ULA literal takes the default port',
    source: 'RFC 4291 §2.2; seed: default management_port 54321',
    from: 'peer',
    role: 'wildcard',
    spec: spec(ula, 'none'),
    expect: () => connects,
  },
  {
    id: 'peer.ula.uppercase',
    title: 'the ULA written in upper case is the same address',
    source: 'RFC 4291 §2.2 (hex digits are case-insensitive); RFC 5952 §4.3',
    from: 'peer',
    role: 'wildcard',
    spec: spec((ctx) => `[${ula(ctx).toUpperCase()}]`, 'agent'),
    identity: (ctx) => ctx.agent.primary.ula,
    expect: () => connects,
  },
  {
    id: 'peer.ula.full-form',
    title: 'the ULA written out in full (eight zero-padded groups) is the same address',
    source: 'RFC 4291 §2.2 form 1 (x:x:x:x:x:x:x:x)',
    from: 'peer',
    role: 'wildcard',
    spec: spec((ctx) => `[${fullForm(ula(ctx))}]`, 'agent'),
    identity: (ctx) => ctx.agent.primary.ula,
    expect: () => connects,
  },
  {
    id: 'peer.link-local.zone-port',
    needs: ['link-local'],
    title: "the agent's link-local address with the engine's own zone",
    source: "RFC 4007 §11 (zone is the sender's interface)",
    from: 'peer',
    role: 'wildcard',
    spec: spec(bracket(linkLocal, peerZone), 'agent'),
    identity: agentName,
    expect: () => connects,
  },
  {
    id: 'peer.link-local.numeric-zone',
    needs: ['link-local'],
    title: 'a numeric zone (interface index) selects the same interface',
    source: 'RFC 4007 §11.2 (numeric zone identifiers)',
    from: 'peer',
    role: 'wildcard',
    spec: spec(
      bracket(linkLocal, (ctx) => String(ctx.peer.primary.index)),
      'agent',
    ),
    identity: agentName,
    expect: () => connects,
  },
  {
    id: 'peer.name.aaaa-only',
    title: 'a host name with only an AAAA record',
    source: 'RFC 3596 (AAAA records); seed: engine adds hosts by name',
    from: 'peer',
    role: 'wildcard',
    spec: spec((ctx) => need(ctx.agent.aaaaOnlyName, 'AAAA-only name for the agent'), 'agent'),
    expect: () => connects,
  },
  {
    id: 'peer.name.dual',
    title: 'a host name with A and AAAA records still connects when IPv4 is gone',
    source: 'RFC 8305 (connection attempts across address families)',
    from: 'peer',
    role: 'wildcard',
    spec: spec((ctx) => need(agentName(ctx), 'DNS name for the agent'), 'agent'),
    expect: () => connects,
  },
  {
    id: 'peer.ipv4.dotted',
    title: 'IPv4 still works on a :: listener (dual-stack)',
    source: 'Linux ipv6(7) bindv6only=0; RFC 4038 §4.2',
    from: 'peer',
    role: 'wildcard',
    spec: spec(ipv4, 'agent'),
    expect: ipv4Cell,
  },
  {
    id: 'peer.ipv4.mapped',
    title: 'an IPv4-mapped literal [::ffff:a.b.c.d] reaches the agent over IPv4',
    source: 'RFC 4291 §2.5.5.2 (IPv4-mapped IPv6 address)',
    from: 'peer',
    role: 'wildcard',
    spec: spec((ctx) => `[::ffff:${ipv4(ctx)}]`, 'agent'),
    identity: (ctx) => ctx.agent.primary.ipv4,
    expect: ipv4Cell,
  },
  {
    id: 'alt-port.honoured',
    title: 'a non-default management_port is where the agent listens',
    source: 'seed: vdsm.conf [addresses] management_port',
    from: 'peer',
    role: 'alt-port',
    spec: spec(bracket(ula), 'agent'),
    expect: () => connects,
  },
  {
    id: 'alt-port.default-closed',
    needs: ['own-namespace'],
    title: 'with a non-default management_port the default port no longer answers',
    source: 'seed: vdsm.conf [addresses] management_port',
    from: 'peer',
    role: 'alt-port',
    spec: spec(bracket(ula), 54321),
    expect: () => refused,
  },
  {
    id: 'ipv4-any.loopback6-refused',
    needs: ['own-namespace'],
    title: 'management_ip = 0.0.0.0 does not answer on [::1]',
    source: 'seed: historic default management_ip = 0.0.0.0 listens on IPv4 only',
    from: 'agent-host',
    role: 'ipv4-any',
    spec: spec(() => '[::1]', 'agent'),
    expect: () => refused,
  },
  {
    id: 'ipv4-any.loopback4',
    title: 'management_ip = 0.0.0.0 answers on 127.0.0.1 (control for the refusal above)',
    source: 'seed: historic default management_ip = 0.0.0.0',
    from: 'agent-host',
    role: 'ipv4-any',
    spec: spec(() => '127.0.0.1', 'agent'),
    expect: () => connects,
  },
  {
    id: 'ula.loopback6-refused',
    needs: ['own-namespace'],
    title: 'a listener bound to one ULA does not answer on [::1]',
    source: 'seed: management_ip set to one address; POSIX bind(2)',
    from: 'agent-host',
    role: 'ula',
    spec: spec(() => '[::1]', 'agent'),
    expect: () => refused,
  },
  {
    id: 'ula.own-address',
    title: 'a listener bound to one ULA answers on that ULA',
    source: 'seed: management_ip set to one address',
    from: 'peer',
    role: 'ula',
    spec: spec(bracket(ula), 'agent'),
    expect: () => connects,
  },
  {
    id: 'tls.client-cert-required',
    title: 'an agent configured for mutual TLS refuses a client without a certificate',
    source:
      'seed: vdsm [vars] ssl with client certificates signed by the engine CA; RFC 8446 §4.3.2',
    from: 'peer',
    role: 'wildcard',
    withoutClientCert: true,
    spec: spec(bracket(ula), 'agent'),
    expect: () => ({ kind: 'fails', phases: ['handshake', 'rpc'] }),
  },
];

/**
 * The one cell on an address that was tentative when the agent started (docs/dad.md): the run
 * adds it to the agent's host only after the agent is up, with DAD on, so the agent's binds meet
 * EADDRNOTAVAIL for a second or two. No other cell pays for that wait.
 */
const tentative: Cell = {
  id: 'tentative.listens-after-dad',
  needs: ['dad'],
  title:
    'an agent started while its management_ip is still tentative listens there once DAD is over, not on the wildcard',
  source:
    'RFC 4862 §5.4 (a tentative address is not yet assigned: bind(2) fails with EADDRNOTAVAIL); seed: vdsm.conf [addresses] management_ip',
  from: 'peer',
  role: 'tentative',
  spec: spec(
    bracket((ctx) => need(ctx.agent.managementIp, "agent's management_ip")),
    'agent',
  ),
  expect: () => ({ kind: 'listens-on-management-ip' }),
};

export const CELLS: readonly Cell[] = [
  ...documented,
  listener,
  capabilities,
  ...deployment,
  tentative,
  ...SETUP_NETWORKS_CELLS,
];
