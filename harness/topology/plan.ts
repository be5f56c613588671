// What a run needs before anything starts: names, a random ULA /64 (and a random IPv4 /24 for
// dual-stack), and a static address per host, so certificates can name them in advance.
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import {
  type AgentSpec,
  type EngineSpec,
  NETWORK_MODES,
  type NetworkMode,
} from '../providers/contract.ts';

export interface PlannedHost {
  key: string;
  role: 'agent' | 'peer' | 'engine';
  containerName: string;
  /** DNS names on the network (Docker's embedded DNS answers them). */
  aliases: string[];
  ula: string;
  /**
   * For an agent whose management_ip is `@tentative`: a second address in the run's /64 that
   * the host gets only after its program started, with DAD on (docs/dad.md).
   */
  tentative?: string;
  ipv4?: string;
  spec?: AgentSpec;
  engine?: EngineSpec & { port: number };
}

export interface TopologyPlan {
  runId: string;
  mode: NetworkMode;
  network: { name: string; subnet6: string; gateway6: string; subnet4?: string; gateway4?: string };
  hosts: PlannedHost[];
}

export const newRunId = () => randomBytes(4).toString('hex');

/** RFC 4193 section 3.2: fd00::/8 plus a random 40-bit global id, subnet id 0. */
export function randomUlaPrefix(): string {
  return ulaAddress(randomBytes(5), 0);
}

/**
 * Address `n` in the /64 of a 40-bit global id (subnet id 0), in RFC 5952 form, since it is
 * written into vdsm.conf and certificates as it stands.
 */
function ulaAddress(globalId: Uint8Array, n: number): string {
  const bytes = [0xfd, ...globalId, 0, 0, 0, 0, 0, 0, 0, 0, (n >> 8) & 0xff, n & 0xff];
  return ipaddr.fromByteArray(bytes).toString();
}

function v4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(m[5]));
  const start = base - (base % size);
  return [start, start + size - 1];
}

/** A /24 in 172.16.0.0/12 that overlaps no subnet in use (docker0's 172.17/16 among them). */
export function randomIpv4Prefix(inUse: string[]): string {
  const used = ['172.17.0.0/16', ...inUse]
    .map(v4Range)
    .filter((r): r is [number, number] => r !== undefined);
  for (let i = 0; i < 200; i++) {
    const [a, b] = randomBytes(2);
    const prefix = `172.${16 + (a! % 16)}.${b}.`;
    const [lo, hi] = v4Range(`${prefix}0/24`)!;
    if (!used.some(([s, e]) => lo <= e && s <= hi)) return prefix;
  }
  throw new Error('no free IPv4 /24 found in 172.16.0.0/12');
}

export const AGENT_ALIAS_PREFIX = 'agent-';
export const ENGINE_KEY = 'engine';
/** The reference engine beside a vendor's: the engine cells' control arm. */
export const CONTROL_ENGINE_KEY = 'control-engine';
export const DEFAULT_ENGINE_PORT = 8443;

/**
 * Hosts get ::10, ::11, … and .10, .11, …; the gateway takes ::1 and .1; an address added after
 * start is ::110, ::111, … (host ::1n gets ::11n), apart from all of them.
 */
export function planTopology(opts: {
  runId: string;
  mode: NetworkMode;
  agents: AgentSpec[];
  engine?: EngineSpec;
  /** Also start this engine (the reference) as the control arm, key `control-engine`. */
  controlEngine?: EngineSpec;
  /** The probe host `peer`, for cells run from another host than their agent's. @default true */
  peer?: boolean;
  ipv4InUse?: string[];
}): TopologyPlan {
  const globalId = randomBytes(5);
  const ula = (n: number) => ulaAddress(globalId, n);
  const v4 = NETWORK_MODES[opts.mode].ipv4 ? randomIpv4Prefix(opts.ipv4InUse ?? []) : undefined;
  const name = (host: string) => `sixgate-${opts.runId}-${host}`;
  const hosts: PlannedHost[] = [
    ...opts.agents.map((spec) => ({ key: spec.key, role: 'agent' as const, spec })),
    ...(opts.peer === false ? [] : [{ key: 'peer', role: 'peer' as const }]),
    ...(
      [
        [ENGINE_KEY, opts.engine],
        [CONTROL_ENGINE_KEY, opts.controlEngine],
      ] as const
    ).flatMap(([key, e]) =>
      e
        ? [
            {
              key,
              role: 'engine' as const,
              engine: { ...e, port: e.port ?? DEFAULT_ENGINE_PORT },
            },
          ]
        : [],
    ),
  ].map((h, i) => ({
    ...h,
    containerName: name(h.key),
    aliases: h.role === 'agent' ? [`${AGENT_ALIAS_PREFIX}${h.key}`] : [h.key],
    ula: ula(0x10 + i),
    ...('spec' in h && h.spec.managementIp === '@tentative' ? { tentative: ula(0x110 + i) } : {}),
    ...(v4 ? { ipv4: `${v4}${10 + i}` } : {}),
  }));
  return {
    runId: opts.runId,
    mode: opts.mode,
    network: {
      name: `sixgate-${opts.runId}`,
      subnet6: `${ula(0)}/64`,
      gateway6: ula(1),
      ...(v4 ? { subnet4: `${v4}0/24`, gateway4: `${v4}1` } : {}),
    },
    hosts,
  };
}
