// errno and OpenSSL codes → the contract's failure classes. Callers match on the class; the raw
// code travels alongside for people.
import type { FailureClass } from './contract.ts';

const CONNECT: Record<string, FailureClass> = {
  ECONNREFUSED: 'refused',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  // libuv reports EINVAL for a link-local destination whose zone did not resolve to an index.
  EINVAL: 'unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
};

export function connectFailure(code: string | undefined): FailureClass {
  return (code && CONNECT[code]) || 'unreachable';
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_PURPOSE',
]);

export function handshakeFailure(code: string | undefined): FailureClass {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'cert-name';
  if (code && UNTRUSTED.has(code)) return 'cert-untrusted';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return 'tls-protocol';
}

/**
 * With TLS 1.3 the client finishes its handshake before the server has checked the client
 * certificate, so a server's refusal (a TLS alert) arrives while we already send the request.
 * It is still a handshake failure, and reporting it as one is what a person needs to read.
 */
export function isTlsAlert(code: string | undefined): boolean {
  return code !== undefined && /^ERR_SSL_/.test(code);
}
