// The shape of one client call to an agent, shared by `sixgate client`, the probe and the engine.
import type { HostSpec } from '../address/contract.ts';

export interface TlsMaterial {
  /** PEM of the CA that signed the agent certificate. */
  ca: string;
  /** Client certificate and key (PEM) for agents that require mutual TLS. */
  cert?: string;
  key?: string;
  /**
   * The identity the server certificate is verified against (a DNS name or an IP without zone).
   * Defaults to the host the spec names: the name, or the address without its zone.
   */
  identity?: string;
}

/** Where a failed call stopped. */
export type FailurePhase = 'parse' | 'resolve' | 'connect' | 'handshake' | 'rpc';

/** Finer class within a phase, e.g. connect/refused, handshake/cert-name. */
export type FailureClass =
  | 'invalid-spec'
  | 'no-such-interface'
  | 'nxdomain'
  | 'no-address-of-family'
  | 'refused'
  | 'unreachable'
  | 'timeout'
  | 'reset'
  | 'cert-untrusted'
  | 'cert-name'
  | 'tls-protocol'
  | 'http-status'
  | 'bad-response'
  /** The reply was over the client's byte cap (MAX_REPLY_BYTES); reading stopped there. */
  | 'too-large'
  | 'fault'
  | 'status-nonzero';

export interface CallRequest {
  /** A host spec as typed (`[::1]:54321`) or already parsed. */
  target: string | HostSpec;
  method: string;
  params?: unknown[];
  tls: TlsMaterial;
  /** Limit for the whole call. @default 5000 */
  timeoutMs?: number;
}

interface CallFacts {
  /** Addresses the host resolved to, in the order tried. */
  resolved: string[];
  /** The address:port actually connected to (zone included for scoped addresses). */
  remote?: { address: string; port: number; family: 4 | 6 };
  local?: { address: string; port: number };
  /** The identity the certificate was checked against, and whether it was a name or an IP. */
  identity?: { value: string; kind: 'dns' | 'ip' };
  elapsedMs: number;
}

export type CallOutcome =
  | (CallFacts & { ok: true; value: unknown })
  | (CallFacts & {
      ok: false;
      phase: FailurePhase;
      failure: FailureClass;
      /** errno or TLS code where one exists (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID). */
      code?: string;
      message: string;
    });
