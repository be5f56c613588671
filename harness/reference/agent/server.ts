// The HTTPS listener: POST /RPC2 only, one log line per request naming the peer.
import { createServer, type Server } from 'node:https';
import type { ListenOptions } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { parseCall, serializeFault, serializeResponse } from '../../rpc/codec.ts';
import type { Dispatch } from './dispatcher.ts';
import type { AgentLog } from './log.ts';

const MAX_BODY = 1 << 20;

export function createAgentServer(tls: TlsOptions, dispatch: Dispatch, log: AgentLog): Server {
  const server = createServer(tls, (req, res) => {
    const peer = {
      address: req.socket.remoteAddress ?? '',
      port: req.socket.remotePort ?? 0,
      localAddress: req.socket.localAddress ?? '',
    };
    const reply = (status: number, body: string) => {
      res.writeHead(status, {
        'Content-Type': 'text/xml',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (req.url !== '/RPC2' || req.method !== 'POST') {
      log(`${req.method} ${req.url} from ${peer.address} port ${peer.port}: 404`);
      return reply(404, '');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let call;
      try {
        call = parseCall(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        log(`bad request from ${peer.address} port ${peer.port}: ${(err as Error).message}`);
        return reply(400, '');
      }
      const out = dispatch(call.method, call.params, peer);
      log(
        `request ${call.method} from ${peer.address} port ${peer.port}${out.kind === 'fault' ? ` -> fault ${out.fault.faultCode}` : ''}`,
      );
      reply(200, out.kind === 'fault' ? serializeFault(out.fault) : serializeResponse(out.value));
    });
  });
  server.on('tlsClientError', (err, socket) => {
    // A client that aborts its own handshake (e.g. a failed name check) leaves no address behind.
    log(
      `tls error from ${socket.remoteAddress ?? 'a peer that already closed'}: ${err.message.trim()}`,
    );
  });
  return server;
}

export function listen(server: Server, options: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
