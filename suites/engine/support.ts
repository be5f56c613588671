// Shared set-up for the engine suites: per-run certificates, engines as host processes, clients.
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  createCa,
  EngineClient,
  isEngineField,
  loadCorpus,
  type CorpusCase,
  issueCert,
  startLocalEngine,
  type StartedEngine,
} from '../../harness/index.ts';

export interface RunTls {
  ca: string;
  /** The engine's API certificate, and the client pair it shows agents (mutual TLS). */
  engine: { cert: string; key: string; clientCert: string; clientKey: string };
  /** An agent certificate for this machine's names and every local address (no zones). */
  agent: { cert: string; key: string };
}

/** Every address this machine has, without zones: what local certificates must name. */
export function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .map((a) => a?.address)
    .filter((a): a is string => a !== undefined);
}

/** The first link-local IPv6 address with its interface, if this machine has one. */
export function linkLocal(): { address: string; iface: string } | undefined {
  for (const [iface, addrs] of Object.entries(networkInterfaces())) {
    const found = addrs?.find(
      (a) => a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:'),
    );
    if (found) return { address: found.address, iface };
  }
  return undefined;
}

export async function makeTls(): Promise<RunTls> {
  const ca = await createCa({ commonName: 'sixgate engine suite CA' });
  const names = { dnsNames: ['localhost', 'localhost6'], ipAddresses: localAddresses() };
  const api = await issueCert(ca, { commonName: 'engine', usage: 'server', ...names });
  const client = await issueCert(ca, { commonName: 'engine', usage: 'client' });
  const agent = await issueCert(ca, { commonName: 'agent', usage: 'server', ...names });
  return {
    ca: ca.certPem,
    engine: {
      cert: api.certPem,
      key: api.keyPem,
      clientCert: client.certPem,
      clientKey: client.keyPem,
    },
    agent: { cert: agent.certPem, key: agent.keyPem },
  };
}

export function brokenEngine(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/broken-engines/${name}.ts`, import.meta.url));
}

export interface RunningEngine extends AsyncDisposable {
  engine: StartedEngine;
  client: EngineClient;
}

/** An engine on `::` (IPv4 too, through the dual-stack socket) and a client over `::1`. */
export async function runEngine(tls: RunTls, entry?: string): Promise<RunningEngine> {
  const engine = await startLocalEngine({
    ...(entry === undefined ? {} : { entry }),
    tls: { ca: tls.ca, ...tls.engine },
    // Compiled at start: slow on a loaded CI machine, and not what these tests are about.
    timeoutMs: 120_000,
  });
  const client = new EngineClient({ host: '::1', port: engine.port, tls: { ca: tls.ca } });
  return {
    engine,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await engine.stop();
    },
  };
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same peer; zones are dropped for comparison. */
export function samePeer(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string | undefined) =>
    s
      ?.replace(/%.*$/, '')
      .replace(/^::ffff:(?=\d+\.)/i, '')
      .toLowerCase();
  return a !== undefined && norm(a) === norm(b);
}

/** A NIC the agent reports: the first non-loopback interface, else loopback. */
export function agentNic(): string {
  const names = Object.keys(networkInterfaces());
  return names.find((n) => n !== 'lo') ?? 'lo';
}

export function engineCases(): CorpusCase[] {
  return loadCorpus().filter((c) => isEngineField(c.field));
}
