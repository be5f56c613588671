import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listRuns,
  dockerClient,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason)(dockerTitle('docker topology, dual-stack'), () => {
  let t: StartedTopology;
  beforeAll(async () => {
    t = await startTopology({
      mode: 'dual-stack',
      provider: 'docker',
      agents: [{ key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true }],
    });
  });
  afterAll(async () => {
    await t?.down();
    expect((await listRuns(dockerClient())).filter((r) => r.runId === t?.runId)).toEqual([]);
  });

  it('gives every host a ULA in the run prefix and a link-local address, read from inside', () => {
    const prefix = t.network!.subnet6.replace(/\/64$/, '');
    for (const h of t.hosts.values()) {
      expect(h.primary.ula?.startsWith(prefix)).toBe(true);
      expect(h.primary.linkLocal).toMatch(/^fe80:/);
      expect(h.primary.ipv4).toBeDefined();
      expect(h.interfaces.flatMap((i) => i.ipv6).some((a) => a.tentative)).toBe(false);
    }
  });

  it('reaches another container by ULA and by link-local with a zone', async () => {
    const peer = t.hosts.get('peer')!;
    const agent = t.hosts.get('wildcard')!;
    await peer.probe.request({ op: 'listen', host: '::', port: 7070 });
    const byUla = await agent.probe.request({
      op: 'tcp-connect',
      host: peer.primary.ula!,
      port: 7070,
      timeoutMs: 3000,
    });
    expect(byUla).toMatchObject({ ok: true, remote: `${peer.primary.ula}:7070` });
    const zoned = `${peer.primary.linkLocal}%${agent.primary.iface}`;
    const byLinkLocal = await agent.probe.request({
      op: 'tcp-connect',
      host: zoned,
      port: 7070,
      timeoutMs: 3000,
    });
    expect(byLinkLocal).toMatchObject({ ok: true, remote: `${zoned}:7070` });
  });

  it('resolves localhost6 to ::1 in the agent namespace and names by Docker DNS', async () => {
    const agent = t.hosts.get('wildcard')!;
    const peer = t.hosts.get('peer')!;
    expect(await agent.probe.request({ op: 'resolve', name: 'localhost6' })).toEqual({
      addresses: [{ address: '::1', family: 6 }],
    });
    expect(await agent.probe.request({ op: 'hosts-file' })).toMatch(/::1\s+localhost6/);
    const named = await peer.probe.request({ op: 'resolve', name: agent.aliases[0]! });
    expect(named.addresses).toContainEqual({ address: agent.primary.ula, family: 6 });
  });

  it('sees the agent listening on the wildcard, as netstat would show it', async () => {
    const listeners = await t.hosts.get('wildcard')!.probe.request({ op: 'listeners' });
    expect(listeners.map((l) => l.display)).toContain(':::54321');
  });
});
