// The address model's public shape. harness/address implements it; everything else imports
// these names from harness/address/index.ts.

/** Fields a person can type a value into; `sixgate validate --field` takes these names. */
export type Field =
  'ipv4' | 'ipv6' | 'ip' | 'host' | 'prefix' | 'netmask' | 'gateway' | 'storage' | 'endpoint';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'ipv4-mapped'
  | 'documentation'
  | 'global';

export interface Reason {
  /** Stable, machine-readable, e.g. `IPV6_TOO_MANY_GROUPS`. `OK` when valid. */
  code: string;
  /** A sentence a person understands. */
  message: string;
}

export interface Verdict {
  input: string;
  field: Field;
  valid: boolean;
  reason: Reason;
  /** RFC 5952 form of the address (without zone); the normalised value for prefix/netmask. */
  canonical?: string;
  zone?: string;
  /** endpoint and storage: the canonical address or the lower-cased name. */
  host?: string;
  /** endpoint: the port, with the default (54321) applied when none was typed. */
  port?: number;
  /** storage: the export path. */
  path?: string;
}

/** What `parseHostSpec` returns: the host-spec grammar a user types, e.g. `[fe80::1%eth0]:54321`. */
export interface HostSpec {
  input: string;
  kind: 'ipv6' | 'ipv4' | 'name';
  /** Canonical address without zone, or the lower-cased host name. */
  host: string;
  zone?: string;
  port: number;
  /** True when the user typed a port. */
  portGiven: boolean;
}

export const DEFAULT_AGENT_PORT = 54321;
