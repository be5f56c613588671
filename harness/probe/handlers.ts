// The probe's operations, shared by the sidecar program (main.ts) and the local provider's
// in-process probe, so both modes answer a case through the same code.
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import type { CallOutcome, CallRequest } from '../rpc/contract.ts';
import type { Interface, ProbeReply, ProbeRequest, ProbeResults } from './contract.ts';
import { parseIfInet6, parseIpv4Routes, parseIpv6Routes, parseListeners } from './proc-net.ts';

/** A failure the probe reports as `{ ok: false, error: { code, message } }`. */
export class ProbeOpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface HandlerOptions {
  call: (request: CallRequest) => Promise<CallOutcome>;
  /**
   * Whether flush-ipv4 and add-address may change this namespace's addresses; the local provider
   * forbids them: they would change the developer's own machine.
   */
  allowAddressChanges: boolean;
  /** Where iproute2's `ip` lives (the probe image puts it at /usr/sbin/ip). */
  ipBinary?: string;
}

type Handlers = {
  [Op in ProbeRequest['op']]: (req: Extract<ProbeRequest, { op: Op }>) => Promise<ProbeResults[Op]>;
};

const readText = (path: string) => readFile(path, 'utf8').catch(() => '');

async function interfaces(): Promise<Interface[]> {
  const names = await readdir('/sys/class/net').catch(() => Object.keys(os.networkInterfaces()));
  const v6 = parseIfInet6(await readText('/proc/net/if_inet6'));
  const v4 = os.networkInterfaces();
  const out: Interface[] = [];
  for (const name of names) {
    const index =
      Number((await readText(`/sys/class/net/${name}/ifindex`)).trim()) ||
      v6.find((r) => r.iface === name)?.index ||
      0;
    out.push({
      name,
      index,
      ipv4: (v4[name] ?? [])
        .filter((a) => a.family === 'IPv4')
        .map((a) => ({ address: a.address, prefixLength: Number(a.cidr?.split('/')[1] ?? 32) })),
      ipv6: v6
        .filter((r) => r.iface === name)
        .map(({ address, prefixLength, scope, tentative }) => ({
          address,
          prefixLength,
          scope,
          tentative,
        })),
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

function tcpConnect(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeResults['tcp-connect']> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: ProbeResults['tcp-connect']) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ ok: false, code: 'ETIMEDOUT', message: `no answer within ${timeoutMs} ms` }),
    );
    socket.once('connect', () =>
      done({
        ok: true,
        local: `${socket.localAddress}:${socket.localPort}`,
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
      }),
    );
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ ok: false, code: err.code ?? 'ERROR', message: err.message }),
    );
  });
}

/** Listeners opened by `listen`, kept open for the probe's lifetime. */
const servers: net.Server[] = [];

function listen(host: string, port: number): Promise<ProbeResults['listen']> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => s.end());
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ProbeOpError(err.code ?? 'ERROR', err.message)),
    );
    server.listen({ host, port }, () => {
      servers.push(server);
      const a = server.address() as net.AddressInfo;
      resolve({ address: a.address, port: a.port });
    });
  });
}

async function waitDad(timeoutMs: number): Promise<ProbeResults['wait-dad']> {
  const start = Date.now();
  for (;;) {
    const tentative = parseIfInet6(await readText('/proc/net/if_inet6')).filter((r) => r.tentative);
    if (tentative.length === 0) return { waitedMs: Date.now() - start };
    if (Date.now() - start > timeoutMs) {
      const which = tentative.map((r) => `${r.address}%${r.iface}`).join(', ');
      throw new ProbeOpError(
        'SIXGATE_TIMEOUT',
        `duplicate address detection still running after ${timeoutMs} ms on ${which}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function createHandlers(options: HandlerOptions): Handlers {
  const ip = options.ipBinary ?? '/usr/sbin/ip';
  return {
    interfaces: () => interfaces(),
    listeners: async () => [
      ...parseListeners(await readText('/proc/net/tcp'), 4),
      ...parseListeners(await readText('/proc/net/tcp6'), 6),
    ],
    routes: async () => [
      ...parseIpv4Routes(await readText('/proc/net/route')),
      ...parseIpv6Routes(await readText('/proc/net/ipv6_route')),
    ],
    resolve: async ({ name }) => {
      try {
        const all = await lookup(name, { all: true, verbatim: true });
        return { addresses: all.map((a) => ({ address: a.address, family: a.family as 4 | 6 })) };
      } catch (err) {
        throw new ProbeOpError(
          (err as NodeJS.ErrnoException).code ?? 'ERROR',
          (err as Error).message,
        );
      }
    },
    'hosts-file': () => readFile('/etc/hosts', 'utf8'),
    'wait-dad': ({ timeoutMs }) => waitDad(timeoutMs),
    'tcp-connect': ({ host, port, timeoutMs }) => tcpConnect(host, port, timeoutMs),
    call: ({ request }) => options.call(request),
    listen: ({ host, port }) => listen(host, port),
    'flush-ipv4': async () => {
      if (!options.allowAddressChanges)
        throw new ProbeOpError(
          'SIXGATE_FLUSH_FORBIDDEN',
          'flush-ipv4 runs only in a container namespace',
        );
      const flushed: string[] = [];
      for (const i of await interfaces()) {
        if (i.name === 'lo' || i.ipv4.length === 0) continue;
        await promisify(execFile)(ip, ['-4', 'addr', 'flush', 'dev', i.name]);
        flushed.push(i.name);
      }
      return { flushed };
    },
    'add-address': async ({ iface, address, prefixLength }) => {
      if (!options.allowAddressChanges)
        throw new ProbeOpError(
          'SIXGATE_ADD_ADDRESS_FORBIDDEN',
          'add-address runs only in a container namespace',
        );
      // Checked here, not by `ip`: nothing that reaches its argv may read as an option.
      if (!ipaddr.IPv6.isValid(address) || address.includes('%'))
        throw new ProbeOpError(
          'SIXGATE_BAD_REQUEST',
          `not an IPv6 address without a zone: ${address}`,
        );
      if (!Number.isInteger(prefixLength) || prefixLength < 1 || prefixLength > 128)
        throw new ProbeOpError('SIXGATE_BAD_REQUEST', `not a prefix length 1-128: ${prefixLength}`);
      if (!(await interfaces()).some((i) => i.name === iface))
        throw new ProbeOpError(
          'SIXGATE_NO_SUCH_INTERFACE',
          `no interface ${iface} in this namespace`,
        );
      await promisify(execFile)(ip, [
        '-6',
        'addr',
        'add',
        `${address}/${prefixLength}`,
        'dev',
        iface,
      ]);
      const added = ipaddr.IPv6.parse(address).toRFC5952String();
      const row = parseIfInet6(await readText('/proc/net/if_inet6')).find(
        (r) => r.iface === iface && r.address === added,
      );
      // Seen tentative, or added where the kernel runs DAD: on a loaded machine the read above
      // can come after DAD has already ended, and the address was tentative all the same.
      return { tentative: row?.tentative === true || (await dadRuns(iface)) };
    },
  };
}

/**
 * Whether the kernel runs duplicate address detection for a new address on `iface` (an existing
 * interface's name): accept_dad on (the larger of `all` and the interface's) and at least one
 * probe to send.
 */
async function dadRuns(iface: string): Promise<boolean> {
  const conf = async (dev: string, key: string) =>
    Number((await readText(`/proc/sys/net/ipv6/conf/${dev}/${key}`)).trim() || '0');
  const accept = Math.max(await conf('all', 'accept_dad'), await conf(iface, 'accept_dad'));
  return accept > 0 && (await conf(iface, 'dad_transmits')) > 0;
}

/** Runs one request; never throws, so a bad request cannot take the probe down. */
export async function handle(handlers: Handlers, req: ProbeRequest): Promise<ProbeReply> {
  const fn = handlers[req.op] as ((r: ProbeRequest) => Promise<unknown>) | undefined;
  if (!fn)
    return {
      id: req.id,
      ok: false,
      error: { code: 'SIXGATE_PROBE_BAD_OP', message: `unknown op '${String(req.op)}'` },
    };
  try {
    return { id: req.id, ok: true, result: await fn(req) };
  } catch (err) {
    const code =
      err instanceof ProbeOpError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ERROR');
    return { id: req.id, ok: false, error: { code, message: (err as Error).message } };
  }
}
