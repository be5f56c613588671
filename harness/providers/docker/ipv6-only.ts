// IPv6-only, made and proved. The method is decided by what the daemon made, not by its version:
// a network it reports without IPv4 (`EnableIPv4: false`, no IPv4 subnet; Docker 28+) whose
// namespaces really hold no IPv4 is native; anything else (an older daemon, or a runtime that
// takes the request and adds IPv4 anyway) gets the fallback: each tested namespace drops its
// IPv4 addresses (the probe sidecar holds NET_ADMIN). Either way every host is given an IPv4
// address for the IPv4 cells to aim at, and a connect to it must find no route.
import type Docker from 'dockerode';
import { SixgateError } from '../../errors/index.ts';
import type { Ipv6OnlyMethod } from '../contract.ts';
import type { RunningHost } from './start-host.ts';

const NO_ROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH']);

/**
 * On a native network no host ever had IPv4: the cells aim at TEST-NET-1 (RFC 5737), which no
 * host has, one address per host. Without an IPv4 route the kernel refuses before any packet.
 */
export const NATIVE_IPV4_AIM = '192.0.2.0/24';

/** The parts of a network inspect (Docker or Podman) that say whether it carries IPv4. */
export interface NetworkInspect {
  EnableIPv4?: boolean;
  IPAM?: { Config?: Array<{ Subnet?: string }> | null };
}

/**
 * What the daemon says it made: native only with no IPv4 subnet and IPv4 not on. Podman's compat
 * inspect has no `EnableIPv4`: its IPv6-only network is one with only an IPv6 subnet.
 */
export function methodFromInspect(n: NetworkInspect): Ipv6OnlyMethod {
  const v4Subnet = (n.IPAM?.Config ?? []).some((c) => c.Subnet && !c.Subnet.includes(':'));
  return n.EnableIPv4 !== true && !v4Subnet ? 'native' : 'flush-ipv4';
}

export interface Ipv6OnlyResult {
  method: Ipv6OnlyMethod;
  /** By host key: the address IPv4 cells aim at (`StartedHost.formerIpv4`). */
  formerIpv4: Map<string, string>;
  facts: Record<string, string>;
}

async function ipv4Of(h: RunningHost): Promise<string[]> {
  return (await h.probe.request({ op: 'interfaces' }))
    .flatMap((i) => (i.name === 'lo' ? [] : i.ipv4))
    .map((a) => a.address);
}

export async function makeIpv6Only(
  docker: Docker,
  network: string,
  hosts: RunningHost[],
): Promise<Ipv6OnlyResult> {
  const inspected = (await docker.getNetwork(network).inspect()) as NetworkInspect;
  const claimed = methodFromInspect(inspected);
  const facts: Record<string, string> = {};
  const held = await Promise.all(hosts.map(async (h) => [h, await ipv4Of(h)] as const));
  const leftover = held.filter(([, v4]) => v4.length > 0);
  let method = claimed;
  const formerIpv4 = new Map<string, string>();
  if (claimed === 'native' && leftover.length) {
    // A runtime that says "no IPv4" but hands it out all the same must not be trusted.
    method = 'flush-ipv4';
    facts['ipv6-only.native-refused'] =
      `the network reports no IPv4, but ${leftover.map(([h, v4]) => `${h.planned.key} has ${v4.join(',')}`).join('; ')}`;
  }
  if (method === 'native') {
    hosts.forEach((h, i) => formerIpv4.set(h.planned.key, `192.0.2.${i + 1}`));
    facts['ipv6-only.aim'] = `${NATIVE_IPV4_AIM} (no host has IPv4)`;
  } else {
    for (const [h, v4] of held) if (v4[0]) formerIpv4.set(h.planned.key, v4[0]);
    await Promise.all(hosts.map((h) => h.probe.request({ op: 'flush-ipv4' })));
    facts['ipv6-only.flushed'] = [...formerIpv4].map(([k, v]) => `${k}=${v}`).join(',');
  }
  await proveNoIpv4Path(hosts, formerIpv4);
  return { method, formerIpv4, facts };
}

/**
 * From another host (the peer, else the engine, else another agent) to an agent's aim address:
 * no route, or the run is not IPv6-only. A run of one agent asks the agent itself: its former
 * address is no longer its own, so the connect needs a route as any other would.
 */
async function proveNoIpv4Path(hosts: RunningHost[], aim: Map<string, string>): Promise<void> {
  const target = hosts.find((h) => h.planned.role === 'agent' && aim.has(h.planned.key));
  if (!target) return;
  const others = hosts.filter((h) => h !== target);
  const peer =
    others.find((h) => h.planned.role === 'peer') ??
    others.find((h) => h.planned.role === 'engine') ??
    others[0] ??
    target;
  const host = aim.get(target.planned.key)!;
  const r = await peer.probe.request({
    op: 'tcp-connect',
    host,
    port: target.planned.spec?.managementPort ?? 54321,
    timeoutMs: 2000,
  });
  if (r.ok || !NO_ROUTE.has(r.code)) {
    throw new SixgateError(
      'SIXGATE_IPV6_ONLY',
      `on the IPv6-only network, a connect to ${host} still ${r.ok ? 'succeeds' : `fails with ${r.code}, not no-route`}`,
      { hint: 'the network still routes IPv4: see `sixgate doctor` (IPv6-only networks)' },
    );
  }
}
