// Per-run certificates. ECDSA P-256 keeps generation in milliseconds, so every run (and every
// test file) gets a fresh CA and nothing secret ever lands in the repository.
import { webcrypto, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';
import { CertRequestError } from './errors.ts';

let loaded: Promise<typeof X509> | undefined;
/**
 * @peculiar/x509 on first use: it is a fifth of what `sixgate run` loads at start, and a process
 * that makes no certificate (`run --on`, `ps`, `down`) should not pay for it.
 */
const x509lib = () =>
  (loaded ??= import('@peculiar/x509').then((ns) => {
    // A CommonJS package: its exports are the default export once bundled.
    const x509 = ns.default as unknown as typeof X509;
    // It types its provider with the DOM's Crypto; node's webcrypto is the same API.
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  }));

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Back-dated so a peer whose clock lags a little still accepts the certificate. */
const NOT_BEFORE_SKEW_MS = 60 * 60 * 1000;
const VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  cert: X509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  commonName: string;
  dnsNames?: string[];
  /** IP literals without zone: a zone is a local interface, it cannot be certified. */
  ipAddresses?: string[];
  usage: 'server' | 'client';
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return (await x509lib()).PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // DER INTEGER must be positive
  return bytes.toString('hex');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - NOT_BEFORE_SKEW_MS), notAfter: new Date(now + VALIDITY_MS) };
}

export async function createCa(options: { commonName: string }): Promise<CertificateAuthority> {
  const x509 = await x509lib();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [options.commonName] }],
    ...validity(),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey), cert, keys };
}

function checkIp(ip: string): void {
  if (ip.includes('%')) {
    throw new CertRequestError(
      `IP subject-alt-name '${ip}' carries a zone; zones are local to a host and cannot be certified`,
      'certify the address without its zone, or verify a link-local connection against a DNS name',
    );
  }
  if (isIP(ip) === 0)
    throw new CertRequestError(`IP subject-alt-name '${ip}' is not an IP literal`);
}

export async function issueCert(
  ca: CertificateAuthority,
  options: IssueOptions,
): Promise<IssuedCert> {
  const ips = options.ipAddresses ?? [];
  ips.forEach(checkIp);
  const x509 = await x509lib();
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const eku =
    options.usage === 'server'
      ? x509.ExtendedKeyUsage.serverAuth
      : x509.ExtendedKeyUsage.clientAuth;
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([eku]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [options.commonName] }],
    issuer: ca.cert.subjectName,
    ...validity(),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}
