// Per-run certificates: one CA, a client identity for the probes, one server cert per agent.
import { agentSans, createCa, issueCert, type CertificateAuthority } from '../tls/index.ts';
import type { StartedTopology } from './contract.ts';

export interface RunTls {
  ca: CertificateAuthority;
  client: StartedTopology['tls'];
  agentCert(o: {
    names: string[];
    ula?: string;
    managementIp?: string;
    ipv4?: string;
    ipv6Sans?: boolean;
  }): Promise<{ certPem: string; keyPem: string }>;
}

export async function runTls(runId: string): Promise<RunTls> {
  const ca = await createCa({ commonName: `sixgate run ${runId} CA` });
  const client = await issueCert(ca, { commonName: 'sixgate-probe', usage: 'client' });
  return {
    ca,
    client: { ca: ca.certPem, clientCert: client.certPem, clientKey: client.keyPem },
    agentCert: (o) =>
      issueCert(ca, { commonName: o.names[0] ?? 'agent', usage: 'server', ...agentSans(o) }),
  };
}
