// Shared by the agent suites: one PKI per test file, written to a temp dir, and a helper that
// starts an agent program with a given configuration under its own temp root.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentSans,
  createCa,
  issueCert,
  startLocalAgent,
  type LocalAgent,
  type LocalAgentOptions,
  type TlsMaterial,
} from '../../harness/index.ts';

export interface Pki {
  dir: string;
  files: { ca: string; cert: string; key: string };
  agent: { ca: string; cert: string; key: string };
  /** Client material with a CA-signed client certificate. */
  client: TlsMaterial;
  /** Trusts the CA but sends no client certificate. */
  anonymous: TlsMaterial;
  cleanup(): void;
}

export const AGENT_NAME = 'agent.sixgate.test';

export async function makePki(options: { ipv6Sans?: boolean } = {}): Promise<Pki> {
  const dir = mkdtempSync(join(tmpdir(), 'sixgate-agent-'));
  const ca = await createCa({ commonName: 'sixgate test CA' });
  const sans = agentSans({
    names: [AGENT_NAME],
    ula: ownUla(),
    ipv6Sans: options.ipv6Sans ?? true,
  });
  const server = await issueCert(ca, { commonName: AGENT_NAME, ...sans, usage: 'server' });
  const client = await issueCert(ca, { commonName: 'sixgate client', usage: 'client' });
  const files = {
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'client.pem'),
    key: join(dir, 'client.key'),
  };
  writeFileSync(files.ca, ca.certPem);
  writeFileSync(files.cert, client.certPem);
  writeFileSync(files.key, client.keyPem, { mode: 0o600 });
  return {
    dir,
    files,
    agent: { ca: ca.certPem, cert: server.certPem, key: server.keyPem },
    client: { ca: ca.certPem, cert: client.certPem, key: client.keyPem },
    anonymous: { ca: ca.certPem },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function startAgent(
  pki: Pki,
  options: Omit<LocalAgentOptions, 'root' | 'tls'> = {},
): Promise<LocalAgent> {
  return startLocalAgent({ root: mkdtempSync(join(pki.dir, 'root-')), tls: pki.agent, ...options });
}

/** This host's link-local address and its interface, if it has one. */
export function ownLinkLocal(): { address: string; iface: string; index: number } | undefined {
  for (const [iface, addrs] of Object.entries(networkInterfaces())) {
    const a = addrs?.find((x) => x.family === 'IPv6' && /^fe80:/i.test(x.address) && !x.internal);
    if (a) return { address: a.address, iface, index: a.scopeid ?? 0 };
  }
  return undefined;
}

/** A NIC the agent knows: the first non-loopback interface, else loopback. */
export function agentNic(): string {
  return Object.keys(networkInterfaces()).find((n) => n !== 'lo') ?? 'lo';
}

export function ownUla(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    const a = addrs?.find((x) => x.family === 'IPv6' && /^f[cd]/i.test(x.address));
    if (a) return a.address;
  }
  return undefined;
}
