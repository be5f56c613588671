// A misbehaving HTTPS peer on ::1, for the fault suites: each test says how it answers (or does
// not), and the harness's real clients talk to it over real TLS sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCa, issueCert } from '../../harness/index.ts';

export interface Peer extends AsyncDisposable {
  port: number;
  /** PEM of the CA that signed the peer's certificate (it names ::1). */
  ca: string;
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, raw: Socket) => void;

const material = (async () => {
  const ca = await createCa({ commonName: 'sixgate resilience CA' });
  const cert = await issueCert(ca, {
    commonName: 'peer',
    usage: 'server',
    ipAddresses: ['::1'],
    dnsNames: ['localhost'],
  });
  return { ca: ca.certPem, cert: cert.certPem, key: cert.keyPem };
})();

/** An HTTPS server on ::1 whose every request goes to `behaviour`. */
export async function misbehavingPeer(behaviour: Behaviour): Promise<Peer> {
  const { ca, cert, key } = await material;
  const raw = new Map<string, Socket>();
  const server: Server = createServer({ cert, key }, (req, res) =>
    behaviour(req, res, raw.get(`${req.socket.remotePort}`)!),
  );
  server.on('connection', (s: Socket) => raw.set(`${s.remotePort}`, s));
  await new Promise<void>((resolve) => server.listen({ host: '::1', port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on ::1 where nothing listens (it was just released). */
export async function closedPort(): Promise<number> {
  const { createServer: tcp } = await import('node:net');
  const s = tcp();
  await new Promise<void>((resolve) => s.listen({ host: '::1', port: 0 }, resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Streams `total` bytes of `chunk` with no Content-Length, minding backpressure. */
export function stream(res: ServerResponse, chunk: Buffer, total: number, prefix = ''): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.write(prefix);
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** Raw control characters that must never reach a console or an XML file. */
// eslint-disable-next-line no-control-regex -- finding them is the point
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
