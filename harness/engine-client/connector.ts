// undici's own connector takes its host from the origin URL, and WHATWG URL rejects zones. This
// connector dials the real address (zone included) and checks the certificate against a
// separate identity, so `fe80::1%eth0` works and the certificate needs no link-local SAN.
import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { buildConnector } from 'undici';
import { ConnectTimeout, displayAddress, EngineConnectError } from './faults.ts';

export interface EngineAddress {
  /** An IPv4 or IPv6 address without brackets (a zone after `%`), or a host name. */
  host: string;
  port: number;
}

export interface EngineTls {
  /** PEM of the CA that signed the engine's certificate. */
  ca: string;
  cert?: string;
  key?: string;
  /** The name or IP the engine's certificate must carry. @default the host without its zone */
  identity?: string;
}

export function bareHost(host: string): string {
  return host.split('%')[0] ?? host;
}

/** The origin undici keys its pool by and writes in `Host:`; never carries the zone. */
export function originOf(address: EngineAddress): string {
  const bare = bareHost(address.host);
  return `https://${isIP(bare) === 6 ? `[${bare}]` : bare}:${address.port}`;
}

export function engineConnector(
  address: EngineAddress,
  tls: EngineTls,
  timeoutMs: number,
): buildConnector.connector {
  const identity = tls.identity ?? bareHost(address.host);
  return (_opts, callback) => {
    const socket = connect({
      host: address.host,
      port: address.port,
      ca: tls.ca,
      ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
      // SNI must be a name; an IP identity is checked by checkServerIdentity alone.
      ...(isIP(identity) ? {} : { servername: identity }),
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        checkServerIdentity(identity, cert),
      ALPNProtocols: ['http/1.1'],
      timeout: timeoutMs,
    });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (err) {
        socket.destroy();
        callback(new EngineConnectError(displayAddress(address), err), null);
      } else callback(null, socket);
    };
    socket.once('secureConnect', () => settle(null));
    // Errors after the first (a destroyed socket's) have nobody left to tell.
    socket.on('error', settle);
    socket.once('timeout', () => settle(new ConnectTimeout(timeoutMs)));
  };
}
