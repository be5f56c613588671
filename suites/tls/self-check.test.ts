// The harness's TLS self-check: it passes on a runtime that verifies IP subject-alt-names, and
// a certificate without the IP names (what a broken runtime sees) is exit 3 naming the runtime.
import { describe, expect, it } from 'vitest';
import {
  createCa,
  issueCert,
  RuntimeBrokenError,
  selfCheckTls,
  type SelfCheckOptions,
} from '../../harness/index.ts';

async function server(names: {
  dnsNames?: string[];
  ipAddresses?: string[];
}): Promise<NonNullable<SelfCheckOptions['server']>> {
  const ca = await createCa({ commonName: 'self-check test CA' });
  const cert = await issueCert(ca, { commonName: 'self-check test', usage: 'server', ...names });
  return { ...cert, caPem: ca.certPem };
}

async function failure(options: SelfCheckOptions): Promise<RuntimeBrokenError> {
  const err: unknown = await selfCheckTls(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeBrokenError);
  return err as RuntimeBrokenError;
}

describe('TLS self-check', () => {
  it('passes on this runtime with its own certificate for ::1 and 127.0.0.1', async () => {
    const r = await selfCheckTls();
    expect(r.node).toBe(process.version);
    expect(r.checked).toEqual([
      "tls.checkServerIdentity('::1')",
      'handshake by IP ::1',
      'handshake by IP 127.0.0.1',
    ]);
  });

  it('passes with a handed-in certificate that names both IPs', async () => {
    const r = await selfCheckTls({ server: await server({ ipAddresses: ['::1', '127.0.0.1'] }) });
    expect(r.node).toBe(process.version);
  });

  it('fails, exit 3, naming the Node version, when the certificate lacks the IP names', async () => {
    const err = await failure({ server: await server({ dnsNames: ['localhost'] }) });
    expect(err.code).toBe('SIXGATE_RUNTIME_BROKEN');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(`Node ${process.version}`);
    expect(err.message).toContain("tls.checkServerIdentity('::1', cert) rejected it");
    expect(err.message).toMatch(
      /a TLS handshake with \[::1\]:\d+ failed \(ERR_TLS_CERT_ALTNAME_INVALID/,
    );
    expect(err.message).toMatch(
      /a TLS handshake with 127\.0\.0\.1:\d+ failed \(ERR_TLS_CERT_ALTNAME_INVALID/,
    );
    expect(err.message).toContain('the certificate names DNS:localhost');
    expect(err.hint).toBe(
      'this Node runtime cannot verify IP subject-alt-names; use Node 20.20+, 22.22 or 24.21',
    );
  });

  it('names only what failed: a certificate without ::1 fails the IPv6 checks alone', async () => {
    const err = await failure({ server: await server({ ipAddresses: ['127.0.0.1'] }) });
    expect(err.message).toContain("tls.checkServerIdentity('::1', cert) rejected it");
    expect(err.message).toMatch(/a TLS handshake with \[::1\]:\d+ failed/);
    expect(err.message).not.toContain('127.0.0.1:');
  });
});
