// An engine that refuses, resets, hangs, answers garbage or answers too much has failed, and
// the cell or case that sent the request fails with it. These errors say which request, to
// which address, and which limit, in the engine's terms; everything else stays a harness error.
import { isIP } from 'node:net';
import { SixgateError } from '../errors/index.ts';
import { formatBytes, snippet } from '../text/quote.ts';

/**
 * Per request, once it is on the wire: the response headers must arrive within this, and the
 * whole body within this again. Connecting (TCP and TLS) has the same limit. docs/engine-api.md.
 */
export const ENGINE_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The most of one response body the client reads. The largest answer the harness asks for is a
 * POST /api/validate verdict batch, about 300 KiB for 2000 items; 4 MiB is ten times that.
 */
export const ENGINE_REPLY_MAX_BYTES = 4 * 1024 * 1024;

export type EngineTransportFault =
  'refused' | 'reset' | 'timeout' | 'unreachable' | 'tls' | 'malformed' | 'too-large';

/** `[fd00::3]:8443`, `[fe80::1%eth0]:8443`, `engine:8443`: where the request went. */
export function displayAddress(address: { host: string; port: number }): string {
  const bare = address.host.split('%')[0] ?? address.host;
  return isIP(bare) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The engine failed a request without answering it properly: the engine's failure. */
export class EngineTransportError extends SixgateError {
  readonly fault: EngineTransportFault;
  /** `POST /api/hosts`, or undefined for a connect with no request yet. */
  readonly request: string | undefined;
  readonly address: string;
  /** The message without the request and address. */
  readonly detail: string;

  constructor(
    fault: EngineTransportFault,
    at: { request?: string; address: string },
    detail: string,
    options: { cause?: unknown; code?: string } = {},
  ) {
    super(
      options.code ?? 'SIXGATE_ENGINE_TRANSPORT',
      `${at.request ? `${at.request} to ` : ''}${at.address}: ${detail}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.fault = fault;
    this.request = at.request;
    this.address = at.address;
    this.detail = detail;
  }
}

const CONNECT_FAULTS: Record<string, EngineTransportFault> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  EINVAL: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
};

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The connector's own limit on TCP plus TLS. */
export class ConnectTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no TLS connection within ${timeoutMs} ms`);
  }
}

/**
 * A connect that failed (TCP or TLS). Wrapping matters beyond the message: undici treats a raw
 * ERR_TLS_CERT_ALTNAME_INVALID as "retry with another servername" and reconnects forever; a
 * wrapped error fails the queued requests. The request is named once one is known.
 */
export class EngineConnectError extends EngineTransportError {
  constructor(address: string, cause: Error, request?: string) {
    const code = codeOf(cause);
    const fault =
      (code && CONNECT_FAULTS[code]) || (cause instanceof ConnectTimeout ? 'timeout' : 'tls');
    super(
      fault,
      { ...(request === undefined ? {} : { request }), address },
      `cannot connect: ${cause.message}${code ? ` (${code})` : ''}`,
      { cause, code: 'SIXGATE_ENGINE_CONNECT' },
    );
  }
}

/**
 * What undici (or the body reader) said, in the engine's terms; undefined when the failure is
 * the harness's own (a closed client, a bad argument), which the caller rethrows as it is.
 */
export function engineFault(
  err: unknown,
  at: { request: string; address: string },
  limits: { timeoutMs: number },
): EngineTransportError | undefined {
  if (err instanceof EngineConnectError && err.request === undefined)
    return new EngineConnectError(at.address, err.cause as Error, at.request);
  if (err instanceof EngineTransportError) return err;
  const code = codeOf(err);
  const fail = (fault: EngineTransportFault, detail: string) =>
    new EngineTransportError(fault, at, detail, { cause: err });
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return fail('timeout', `no response headers within ${limits.timeoutMs} ms`);
    case 'UND_ERR_BODY_TIMEOUT':
      return fail('timeout', `the response body stalled for ${limits.timeoutMs} ms`);
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_INFO':
    case 'ECONNRESET':
    case 'EPIPE':
      return fail('reset', `the connection was closed before a complete response (${code})`);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return fail('too-large', 'the response headers are over the client limit (16 KiB)');
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return fail('malformed', 'the body does not match its Content-Length');
  }
  if (code?.startsWith('HPE_')) {
    return fail('malformed', `the response is not valid HTTP: ${(err as Error).message} (${code})`);
  }
  return undefined;
}

export function tooLarge(at: { request: string; address: string }, maxBytes: number, what: string) {
  return new EngineTransportError(
    'too-large',
    at,
    `the response body ${what} the ${formatBytes(maxBytes)} cap (ENGINE_REPLY_MAX_BYTES); reading stopped there`,
  );
}

export function malformed(at: { request: string; address: string }, status: number, text: string) {
  return new EngineTransportError(
    'malformed',
    at,
    `answered ${status} with a body that is not the documented JSON: ${snippet(text)}`,
  );
}
