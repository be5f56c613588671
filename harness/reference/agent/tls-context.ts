import { readFileSync } from 'node:fs';
import type { TlsOptions } from 'node:tls';
import type { AgentPaths } from './paths.ts';

/** Server TLS options from the vdsm PKI paths; mutual TLS rejects clients without a CA-signed cert. */
export function loadTlsOptions(paths: AgentPaths, verifyClient: boolean): TlsOptions {
  return {
    key: readFileSync(paths.key),
    cert: readFileSync(paths.cert),
    ca: readFileSync(paths.ca),
    requestCert: verifyClient,
    rejectUnauthorized: verifyClient,
  };
}
