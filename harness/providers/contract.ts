// What a provider makes real, and what every provider is: the `Provider` interface, the
// capabilities it declares, and the network modes as descriptors. Suites see only these shapes;
// the providers themselves are listed in registry.ts.
import type { Teardown } from '../lifecycle/teardown.ts';
import type { Interface, Probe } from '../probe/contract.ts';
import type { ProviderId } from './registry.ts';

export type { ProviderId } from './registry.ts';

/** The key the CLI (`--mode`) and the reports use; what a mode means is in NETWORK_MODES. */
export type NetworkMode = 'dual-stack' | 'ipv6-only';

export interface NetworkModeInfo {
  id: NetworkMode;
  /**
   * Hosts have IPv4 besides IPv6 (an IPv4 subnet, A records): IPv4 cells connect. Without it
   * every IPv4 cell aims at an address no host has (`StartedHost.formerIpv4`) and must fail.
   */
  ipv4: boolean;
  /** How a person reads it in a report. */
  title: string;
}

export const NETWORK_MODES: Record<NetworkMode, NetworkModeInfo> = {
  'dual-stack': { id: 'dual-stack', ipv4: true, title: 'dual-stack' },
  'ipv6-only': { id: 'ipv6-only', ipv4: false, title: 'IPv6-only' },
};

/** How a network without IPv4 was made: the runtime made one, or IPv4 was flushed afterwards. */
export type Ipv6OnlyMethod = 'native' | 'flush-ipv4';

/**
 * What a provider can offer. The matrix skips, with the reason, what its provider lacks; the
 * run asks these, never the provider's name.
 */
export interface ProviderCapabilities {
  /**
   * How it can make an IPv6-only network, best first; empty when it cannot. Which one a run
   * used is `StartedTopology.ipv6OnlyMethod`: `native` only where the runtime really made a
   * network without IPv4 (Docker 28+), else the flush fallback.
   */
  ipv6Only: readonly Ipv6OnlyMethod[];
  /** Hosts share a link with link-local addresses (`fe80::…%eth0` from one host to another). */
  linkLocal: boolean;
  /** Hosts reach each other by name (DNS aliases, a name with only an AAAA record). */
  names: boolean;
  /** Each host has its own network namespace: its own loopback and its own ports. */
  namespaces: boolean;
  /** Starts the engine under test (and the reference engine as its control arm). */
  engine: boolean;
  /** Builds images offline: sixgate's own and a profile's `build` contexts. */
  imageBuild: boolean;
  /** A run can outlive its process (`--keep`) and be removed later by its labels. */
  keep: boolean;
}

/** A container runtime's reply to `GET /version`, as much of it as tells runtimes apart. */
export interface RuntimeVersion {
  Version: string;
  ApiVersion: string;
  KernelVersion?: string;
  Components?: Array<{ Name: string; Version?: string }>;
}

/** A socket where a provider's runtime listens unless the user configured another. */
export interface RuntimeSocket {
  path: string;
  /** Why this path: `default socket`, `rootless socket ($XDG_RUNTIME_DIR)`, ... */
  strategy: string;
}

/** What a provider is asked to make real for one network mode. */
export interface ProviderStartRequest {
  runId: string;
  mode: NetworkMode;
  agents: AgentSpec[];
  engine?: EngineSpec;
  /** The reference engine beside a vendor's, for the engine cells' control arm. */
  controlEngine?: EngineSpec;
  /** Every resource is registered here before it is created; it runs in reverse on the way out. */
  teardown: Teardown;
  /** Set for a kept run (`--keep`): labelled so, and no sweep touches it. */
  keptAt?: Date;
  /** Wait until link-local addresses leave DAD; only link-local cells need it. @default true */
  dad?: boolean;
  /** Start the probe host `peer` (for cells run from another host). @default true */
  peer?: boolean;
  /** Labelled on the run, and recorded in a kept one for `sixgate run --on`. */
  startedFor?: import('./docker/attach.ts').StartedFor;
  /** The endpoint discovery found for this provider's runtime (`discover.ts`). */
  endpoint?: RuntimeEndpoint;
}

/** Where a Docker-compatible engine API answers. */
export type RuntimeEndpoint =
  | { socketPath: string }
  | {
      protocol: 'http' | 'https';
      host: string;
      port: number;
      /** Where https takes ca.pem, cert.pem and key.pem. @default DOCKER_CERT_PATH or ~/.docker */
      certPath?: string;
    };

/**
 * A provider's started run: every host carries its own exec channel into its namespace
 * (`probe`), its `logs`, and how a person runs a client there (`clientCommand`); `teardown`
 * removes it all, `release` lets go of what only this process holds when the run is kept.
 */
export type ProviderRun = Omit<StartedTopology, 'describe' | 'down' | typeof Symbol.asyncDispose>;

/**
 * One way to make a topology real. Adding one is a folder under `providers/` and a line in
 * registry.ts; nothing else asks which provider it is.
 */
export interface Provider {
  id: ProviderId;
  /** For people: `Docker`, `Podman`, `local processes`. */
  title: string;
  capabilities: ProviderCapabilities;
  /** The command a person types to reach a host by hand (`docker`, `podman`); none for local. */
  cli?: string;
  /** The Docker-compatible engine API it drives, when it drives one. */
  runtime?: {
    /** Is this the runtime that answered (its /version reply)? */
    answers(version: RuntimeVersion): boolean;
    /** Where its runtime listens when nothing is configured, in the order they are tried. */
    sockets(env: NodeJS.ProcessEnv): Promise<RuntimeSocket[]>;
    /**
     * How a later process (`run --on`) reaches a kept run's probes: `attach` to the probe each
     * container runs (its stdin stays open between attaches), or `exec` a probe of its own.
     */
    probes: 'attach' | 'exec';
  };
  start(request: ProviderStartRequest): Promise<ProviderRun & { release(): void }>;
}

/** One agent configuration the matrix needs; containers are shared by every cell using it. */
export interface AgentSpec {
  /** Stable key, e.g. `wildcard`, `ipv4-any`, `ula`, `alt-port`. */
  key: string;
  /**
   * `management_ip` written to vdsm.conf; `@ula` means this host's own ULA, `@tentative` a second
   * address of the run's /64 the host gets only after its program started, with DAD on.
   */
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
  /**
   * On an IPv6-only network, the IPv4 address IPv4 cells aim at and must fail on: the one the
   * flush fallback took away, or on a native network (which never gave one) an address from
   * TEST-NET-1 (RFC 5737) that no host has. Either way no IPv4 route leads to it.
   */
  formerIpv4?: string;
  /** A name that resolves, from the peer, to this host's ULA only (AAAA, no A record). */
  aaaaOnlyName?: string;
  /** An agent's management_ip as its vdsm.conf says it (`@ula`, `@tentative` resolved). */
  managementIp?: string;
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
  provider: ProviderId;
  /**
   * Where the runtime it is on answers, for a provider that drives one: what reads its
   * containers afterwards (certify's image facts) asks there, not at a default socket.
   */
  endpoint?: RuntimeEndpoint;
  mode: NetworkMode;
  /** How IPv6-only was achieved, for the report. */
  ipv6OnlyMethod?: Ipv6OnlyMethod;
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
