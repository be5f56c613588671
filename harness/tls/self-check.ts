// The harness's own TLS, checked before any cell runs: a Node runtime that cannot verify a
// certificate's IP subject-alt-names (22.23.3 cannot check `::1`) fails every TLS cell, and
// without this check those failures would be blamed on the target.
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { SixgateError } from '../errors/index.ts';
import { createCa, issueCert, type IssuedCert } from './certs.ts';
import { RuntimeBrokenError } from './errors.ts';

/** Loopback answers in microseconds; the limit only bounds a runtime that hangs. */
const HANDSHAKE_TIMEOUT_MS = 2_000;
const ADDRESSES = ['::1', '127.0.0.1'];

export interface SelfCheckOptions {
  /**
   * The server certificate to verify, with the CA that issued it. By default a fresh one that
   * names IP ::1 and IP 127.0.0.1; a test hands in one without them to see the check fail.
   */
  server?: IssuedCert & { caPem: string };
}

export interface SelfCheckResult {
  /** `process.version` of the runtime that passed. */
  node: string;
  /** What was verified, one phrase each. */
  checked: string[];
  elapsedMs: number;
}

async function freshServerCert(): Promise<IssuedCert & { caPem: string }> {
  const ca = await createCa({ commonName: 'sixgate self-check CA' });
  const cert = await issueCert(ca, {
    commonName: 'sixgate self-check',
    ipAddresses: ADDRESSES,
    usage: 'server',
  });
  return { ...cert, caPem: ca.certPem };
}

function listen(server: tls.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new SixgateError(
          'SIXGATE_NO_LOOPBACK',
          `the TLS self-check cannot listen on ${host.includes(':') ? `[${host}]` : host}: ${err.message}`,
          {
            cause: err,
            hint: 'sixgate needs both loopback addresses: sysctl -w net.ipv6.conf.lo.disable_ipv6=0',
            exitCode: 3,
          },
        ),
      ),
    );
    server.listen({ host, port: 0 }, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A real handshake by IP with default identity checking; a failure as text, else undefined. */
async function handshake(
  server: IssuedCert & { caPem: string },
  host: string,
): Promise<string | undefined> {
  const srv = tls.createServer({ key: server.keyPem, cert: server.certPem });
  // The client aborting a handshake it rejected is the expected failure, not the server's.
  srv.on('tlsClientError', () => undefined);
  try {
    const port = await listen(srv, host);
    const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return await new Promise<string | undefined>((resolve) => {
      const socket = tls.connect({ host, port, ca: server.caPem });
      const done = (failure: string | undefined) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(failure === undefined ? undefined : `a TLS handshake with ${where} ${failure}`);
      };
      const timer = setTimeout(
        () => done(`did not finish within ${HANDSHAKE_TIMEOUT_MS} ms`),
        HANDSHAKE_TIMEOUT_MS,
      );
      socket.once('secureConnect', () => done(undefined));
      socket.once('error', (err: NodeJS.ErrnoException) =>
        done(`failed (${err.code ?? 'ERROR'}: ${err.message})`),
      );
    });
  } finally {
    srv.close();
  }
}

/**
 * Proves that this runtime verifies IP subject-alt-names: real TLS servers on [::1] and
 * 127.0.0.1, reached by IP with the CA and Node's default identity check, and
 * `tls.checkServerIdentity('::1', cert)` called directly. Throws RuntimeBrokenError (exit 3)
 * naming the Node version and every check that failed.
 */
export async function selfCheckTls(options: SelfCheckOptions = {}): Promise<SelfCheckResult> {
  const start = performance.now();
  const server = options.server ?? (await freshServerCert());
  const cert = new X509Certificate(server.certPem);
  const direct = tls.checkServerIdentity('::1', cert.toLegacyObject());
  const failures = [
    ...(direct
      ? [
          `tls.checkServerIdentity('::1', cert) rejected it (${(direct as NodeJS.ErrnoException).code ?? 'ERROR'}: ${direct.message})`,
        ]
      : []),
    ...(await Promise.all(ADDRESSES.map((ip) => handshake(server, ip)))).filter(
      (f): f is string => f !== undefined,
    ),
  ];
  if (failures.length) {
    throw new RuntimeBrokenError(
      `Node ${process.version} failed the harness's TLS self-check: ${failures.join('; ')} (the certificate names ${cert.subjectAltName ?? 'nothing'})`,
    );
  }
  return {
    node: process.version,
    checked: ["tls.checkServerIdentity('::1')", ...ADDRESSES.map((ip) => `handshake by IP ${ip}`)],
    elapsedMs: Math.round(performance.now() - start),
  };
}
