// The three network steps of a call, kept apart so each failure lands in its own phase. Every
// step takes host and port as separate options: a scoped address never passes through a URL.
import { request as httpRequest } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TlsMaterial } from './contract.ts';
import { RpcReplyTooLargeError } from './errors.ts';

/**
 * The most of a reply body the client reads. vdsm's getVdsCapabilities on a large host is a few
 * hundred KiB; 4 MiB leaves ten times that, and keeps a misbehaving agent's reply — decoded, then
 * JSON-escaped on its way back from the probe — far from V8's string limit and the harness's heap.
 */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** Raised when the whole-call deadline passes; carries nothing, the caller knows the phase. */
export class DeadlineError extends Error {
  constructor() {
    super('deadline');
  }
}

export class Deadline {
  private readonly end: number;
  constructor(
    readonly limitMs: number,
    start: number,
  ) {
    this.end = start + limitMs;
  }

  /** Settles with `work`, or rejects with DeadlineError and runs `abort` when time is up. */
  race<T>(work: Promise<T>, abort: () => void): Promise<T> {
    const left = this.end - performance.now();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          abort();
          reject(new DeadlineError());
        },
        Math.max(0, left),
      );
      work.then(
        (v) => (clearTimeout(timer), resolve(v)),
        (e: unknown) => (clearTimeout(timer), reject(e)),
      );
    });
  }
}

export function tcpConnect(host: string, port: number, deadline: Deadline): Promise<Socket> {
  const socket = netConnect({ host, port });
  const work = new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
  return deadline.race(work, () => socket.destroy());
}

export function tlsHandshake(
  socket: Socket,
  material: TlsMaterial,
  identity: { value: string; kind: 'dns' | 'ip' },
  deadline: Deadline,
): Promise<TLSSocket> {
  const secure = tlsConnect({
    socket,
    ca: material.ca,
    ...(material.cert && material.key ? { cert: material.cert, key: material.key } : {}),
    // SNI carries names only (RFC 6066 §3); an IP identity is checked without it.
    ...(identity.kind === 'dns' ? { servername: identity.value } : {}),
    rejectUnauthorized: true,
    // The identity is chosen by the caller, not taken from the connect address (which may be a
    // link-local address with a zone, something no certificate can name).
    checkServerIdentity: (_host, cert) => checkServerIdentity(identity.value, cert),
  });
  const work = new Promise<TLSSocket>((resolve, reject) => {
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', reject);
  });
  return deadline.race(work, () => secure.destroy());
}

export interface HttpReply {
  status: number;
  body: string;
}

export function postRpc(
  socket: TLSSocket,
  hostHeader: string,
  body: string,
  deadline: Deadline,
  maxBytes = MAX_REPLY_BYTES,
): Promise<HttpReply> {
  const req = httpRequest({
    createConnection: () => socket,
    method: 'POST',
    path: '/RPC2',
    headers: {
      Host: hostHeader,
      'Content-Type': 'text/xml',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    },
  });
  const work = new Promise<HttpReply>((resolve, reject) => {
    req.once('error', reject);
    socket.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const tooLarge = (what: string) => {
        reject(new RpcReplyTooLargeError(maxBytes, what));
        // Nothing more is read: the rest of the reply is the agent's to keep.
        req.destroy();
        socket.destroy();
      };
      const declared = Number(res.headers['content-length']);
      if (declared > maxBytes) return tooLarge(`declares ${declared} bytes, over`);
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) tooLarge('grew past');
        else chunks.push(c);
      });
      res.once('error', reject);
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
  });
  req.end(body);
  return deadline.race(work, () => req.destroy());
}
