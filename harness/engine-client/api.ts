// The engine's REST API as data: what a vendor's engine sends and accepts (docs/engine-api.md).
// The reference engine and the harness's client both import these shapes, so they cannot drift.

/** Every 4xx/5xx body. `field` is the JSON path of the offending value (`ipv6.prefix`). */
export interface ApiFault {
  fault: {
    /** Short sentence: what was refused. */
    reason: string;
    /** The rule that was broken, in words a person understands. */
    detail: string;
    /** JSON path of the field, or null when the whole request is at fault. */
    field: string | null;
    /** Stable machine-readable code, e.g. `IPV6_TOO_MANY_GROUPS`, `BODY_TOO_LARGE`. */
    code: string;
    /** The agent's status code when the agent refused a request the engine forwarded. */
    agentCode?: number;
  };
}

export interface AddHostRequest {
  name: string;
  /** IPv4, IPv6 without brackets (link-local with `%zone`), or a host name. */
  address: string;
  /** @default 54321 */
  port?: number;
  /** Name or IP (no zone) the agent's certificate must carry. @default the address without zone */
  identity?: string;
}

export type HostStatus = 'up' | 'non_responsive';

export interface EngineHost {
  id: string;
  name: string;
  /** As given, trimmed. */
  address: string;
  /** RFC 5952 form (without zone) for an IP, lower-cased name otherwise. */
  canonicalAddress: string;
  zone?: string;
  port: number;
  status: HostStatus;
  /** Why the host is non_responsive: the phase that failed and the address family tried. */
  statusReason?: string;
  /** The engine's side of the connection that reached the agent. */
  connection?: {
    remote: { address: string; port: number; family: 4 | 6 };
    local?: { address: string; port: number };
  };
  /** The caller's address as the agent saw it (getVdsCapabilities `lastClient`). */
  lastClient?: string;
  lastClientIface?: string;
}

export type Ipv4BootProtocol = 'none' | 'dhcp' | 'static';
export type Ipv6BootProtocol = 'none' | 'dhcp' | 'autoconf' | 'static';

export interface NetworkAttachmentRequest {
  network: string;
  /** Host NIC the network sits on (the agent's `nic`). */
  nic: string;
  ipv4?: { bootProtocol: Ipv4BootProtocol; address?: string; netmask?: string; gateway?: string };
  /** `prefix` may be a number or its decimal text; the text is checked as typed. */
  ipv6?: {
    bootProtocol: Ipv6BootProtocol;
    address?: string;
    prefix?: number | string;
    gateway?: string;
  };
}

export interface NetworkAttachment {
  id: string;
  hostId: string;
  network: string;
  /** The `setupNetworks` attributes sent to the agent (historic names). */
  agentAttributes: Record<string, string | boolean>;
}

export interface NicRow {
  name: string;
  kind: 'nic' | 'network' | 'bond' | 'vlan';
  /** The table's address column: every address as text, `a.b.c.d/len, fd00::2/64, …`. */
  address: string;
  ipv4Addresses: string[];
  ipv6Addresses: string[];
  ipv6Gateway?: string;
}

export type StorageConnectionRequest =
  { type: 'nfs'; address: string; path: string } | { type: 'nfs'; connection: string };

export interface StorageConnection {
  id: string;
  type: 'nfs';
  /** Canonical address (without zone) or lower-cased name. */
  address: string;
  zone?: string;
  path: string;
  /** `host:/path`, with an IPv6 host bracketed. */
  connection: string;
}

/** POST /api/validate: the address model's verdicts as the engine applies them. */
export interface ValidateRequest {
  items: Array<{ field: string; input: string }>;
}
export interface ValidateResponse {
  verdicts: Array<{
    field: string;
    input: string;
    valid: boolean;
    code: string;
    message: string;
    canonical?: string;
    zone?: string;
  }>;
}

/** What a `?dryRun=true` request returns when the body would be accepted. */
export interface DryRunResult {
  dryRun: true;
  /** The values the engine would store, normalised (canonical addresses, numeric prefix). */
  normalized: Record<string, unknown>;
}
