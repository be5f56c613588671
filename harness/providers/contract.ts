// What a provider (docker, local) makes real. Suites see only these shapes.
import type { Interface, Probe } from '../probe/contract.ts';

export type NetworkMode = 'dual-stack' | 'ipv6-only';

/** One agent configuration the matrix needs; containers are shared by every cell using it. */
export interface AgentSpec {
  /** Stable key, e.g. `wildcard`, `ipv4-any`, `ula`, `alt-port`. */
  key: string;
  /** `management_ip` written to vdsm.conf; `@ula` means this host's own ULA. */
  managementIp: string;
  managementPort: number;
  /** Program inside the image (reference agent or a fixture's broken agent), or a vendor image. */
  program?: string;
  image?: string;
  mutualTls: boolean;
  /** False issues the agent a certificate without IPv6 subject-alt-names (a broken target). */
  ipv6Sans?: boolean;
  /** Where a vendor image reads its config and PKI, when not where vdsm did (`AGENT_PATHS`). */
  paths?: Partial<AgentPaths>;
}

/** vdsm.conf and the PKI files, inside the agent's file system. */
export interface AgentPaths {
  conf: string;
  key: string;
  cert: string;
  ca: string;
}

/**
 * The engine under test as a container of the run. Port 8443 by default: the reference engine's
 * own default, unprivileged, so a vendor image need not run as root to take it.
 */
export interface EngineSpec {
  /** Program inside the sixgate image. @default 'engine' (the reference engine) */
  program?: string;
  /** A vendor image, started with the same flags as the reference engine. */
  image?: string;
  /** @default 8443 */
  port?: number;
  /** Path prefix of its REST API. @default '/api' */
  apiBase?: string;
}

export interface StartedHost {
  name: string;
  role: 'agent' | 'peer' | 'engine';
  containerId?: string;
  /** DNS names other hosts on the network use for it (AAAA and, dual-stack, A). */
  aliases: string[];
  /** Read from inside its namespace, not from docker inspect. */
  interfaces: Interface[];
  /** The main interface (eth0 in a container) and its addresses, picked from `interfaces`. */
  primary: { iface: string; index: number; ula?: string; linkLocal?: string; ipv4?: string };
  /** The IPv4 address an IPv6-only fallback took away: IPv4 cells aim at it and must fail. */
  formerIpv4?: string;
  /** A name that resolves, from the peer, to this host's ULA only (AAAA, no A record). */
  aaaaOnlyName?: string;
  /**
   * A command a person can paste to run `sixgate client <argv>` inside this host's network
   * namespace, with the run's TLS material; the matrix prints it to reproduce a cell by hand.
   */
  clientCommand?(argv: string[]): string;
  /** A request channel into this host's network namespace. */
  probe: Probe;
  logs(tail?: number): Promise<string>;
}

export interface StartedTopology extends AsyncDisposable {
  runId: string;
  provider: 'docker' | 'local';
  mode: NetworkMode;
  /** How IPv6-only was achieved, for the report. */
  ipv6OnlyMethod?: 'native' | 'flush-ipv4';
  network?: { name: string; subnet6: string; subnet4?: string };
  /** Agents by AgentSpec.key, plus `peer` (a bare probe host) and `engine` when one was asked for. */
  hosts: Map<string, StartedHost>;
  /**
   * The engine container (also `hosts.get('engine')`): its API port, the CA that signed its
   * certificate, and the name that certificate carries, so a client may dial any of its addresses.
   */
  engine?: { host: StartedHost; port: number; ca: string; identity: string; apiBase?: string };
  /** The reference engine beside a vendor's (the engine cells' control arm), when asked for. */
  controlEngine?: StartedTopology['engine'];
  /**
   * Target hosts (by key) that did not come up as configured — exited, never listened, listen
   * elsewhere — with the reason: the target's failure on every cell that needs them.
   */
  failed?: Map<string, string>;
  /** Per-run CA and client material the probes use. */
  tls: { ca: string; clientCert: string; clientKey: string };
  /** Facts for the report (docker version, kernel, provider specifics). */
  facts: Record<string, string>;
  /**
   * What this environment cannot offer (no IPv6, no localhost6, no link-local), each with a
   * one-line remedy; cells needing it are skipped with that reason, never passed.
   */
  unavailable?: Array<{ what: string; remedy: string }>;
  /** How a person reaches and removes this topology (printed with --keep). */
  describe(): string;
  down(): Promise<void>;
}
