// The probe's operations, shared by the sidecar program (main.ts) and the local provider's
// in-process probe, so both modes answer a case through the same code.
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { promisify } from 'node:util';
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
  /** The local provider forbids flush-ipv4: it would strip the developer's own machine. */
  allowFlush: boolean;
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
      if (!options.allowFlush)
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
  };
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
