// The probe's request/response protocol: one JSON object per line on the probe's stdin, one JSON
// reply per line on its stdout, matched by `id`. The probe lives for the whole run, so a case
// costs a round trip, not a process start.
import type { CallOutcome, CallRequest } from '../rpc/contract.ts';

export interface Ipv6Addr {
  address: string;
  prefixLength: number;
  scope: 'global' | 'link' | 'host' | 'site';
  /** DAD still running (IFA_F_TENTATIVE, 0x40 in /proc/net/if_inet6). */
  tentative: boolean;
}

export interface Interface {
  name: string;
  index: number;
  ipv4: Array<{ address: string; prefixLength: number }>;
  ipv6: Ipv6Addr[];
}

/** A TCP socket in LISTEN, read from /proc/net/tcp and /proc/net/tcp6. */
export interface Listener {
  family: 4 | 6;
  address: string;
  port: number;
  /** As netstat prints it: `:::54321`, `0.0.0.0:54321`. */
  display: string;
}

export type ProbeRequest =
  | { id: number; op: 'interfaces' }
  | { id: number; op: 'listeners' }
  | { id: number; op: 'routes' }
  | { id: number; op: 'resolve'; name: string }
  | { id: number; op: 'hosts-file' }
  | { id: number; op: 'wait-dad'; timeoutMs: number }
  | { id: number; op: 'tcp-connect'; host: string; port: number; timeoutMs: number }
  | { id: number; op: 'call'; request: CallRequest }
  | { id: number; op: 'flush-ipv4' }
  /** Adds an IPv6 address with duplicate address detection left on (no `nodad`). */
  | {
      id: number;
      op: 'add-address';
      iface: string;
      address: string;
      prefixLength: number;
      /** How long the caller waits for the reply. */
      timeoutMs?: number;
    }
  /** Opens a TCP listener in this namespace (tests use it as a connect target). */
  | { id: number; op: 'listen'; host: string; port: number };

export type ProbeReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

export interface ProbeResults {
  interfaces: Interface[];
  listeners: Listener[];
  routes: string[];
  resolve: { addresses: Array<{ address: string; family: 4 | 6 }> };
  'hosts-file': string;
  'wait-dad': { waitedMs: number };
  'tcp-connect':
    { ok: true; local: string; remote: string } | { ok: false; code: string; message: string };
  call: CallOutcome;
  'flush-ipv4': { flushed: string[] };
  /** Whether the address was tentative right after it was added: DAD runs on that interface. */
  'add-address': { tentative: boolean };
  listen: { address: string; port: number };
}

/** A channel into one network namespace: a probe sidecar, or the harness itself in local mode. */
export interface Probe {
  request<Op extends ProbeRequest['op']>(
    req: { op: Op } & Omit<Extract<ProbeRequest, { op: Op }>, 'id' | 'op'>,
  ): Promise<ProbeResults[Op]>;
}
