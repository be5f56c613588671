import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import {
  dockerClient,
  listRuns,
  NATIVE_IPV4_AIM,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason)(dockerTitle('docker topology, IPv6-only'), () => {
  let t: StartedTopology;
  beforeAll(async () => {
    t = await startTopology({
      mode: 'ipv6-only',
      provider: 'docker',
      agents: [{ key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true }],
    });
  });
  afterAll(async () => {
    await t?.down();
    expect((await listRuns(dockerClient())).filter((r) => r.runId === t?.runId)).toEqual([]);
  });

  it('reports its method and leaves no IPv4 address on any tested namespace', () => {
    expect(['native', 'flush-ipv4']).toContain(t.ipv6OnlyMethod);
    for (const h of t.hosts.values()) {
      expect(h.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.ipv4)).toEqual([]);
    }
  });

  it('has no IPv4 path to the other side while IPv6 works', async () => {
    const peer = t.hosts.get('peer')!;
    const agent = t.hosts.get('wildcard')!;
    // What IPv4 cells aim at: the address the fallback took, or on a native network TEST-NET-1.
    const former = agent.formerIpv4;
    expect(former, 'no IPv4 address for the IPv4 cells to aim at').toBeDefined();
    if (t.ipv6OnlyMethod === 'native') {
      expect(ipaddr.parse(former!).match(ipaddr.parseCIDR(NATIVE_IPV4_AIM))).toBe(true);
    } else {
      expect(t.facts['ipv6-only.flushed']).toContain(`wildcard=${former}`);
    }
    const v4 = await peer.probe.request({
      op: 'tcp-connect',
      host: former!,
      port: 54321,
      timeoutMs: 2000,
    });
    expect(v4).toMatchObject({ ok: false });
    expect(['EHOSTUNREACH', 'ENETUNREACH']).toContain((v4 as { code: string }).code);
    const v6 = await peer.probe.request({
      op: 'tcp-connect',
      host: agent.primary.ula!,
      port: 54321,
      timeoutMs: 2000,
    });
    expect(v6.ok).toBe(true);
  });
});
