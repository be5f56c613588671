// Adding hosts to the reference engine, with reference agents as host processes on this machine:
// by ::1, by IPv4 on a `::` listener, by link-local with a zone, by name; an IPv4-only agent
// ends non_responsive with the family named.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenAgentPrograms } from '../../fixtures/broken-agents/index.ts';
import { EngineFaultError, startLocalAgent, type LocalAgent } from '../../harness/index.ts';
import {
  linkLocal,
  makeTls,
  runEngine,
  samePeer,
  type RunningEngine,
  type RunTls,
} from './support.ts';

let tls: RunTls;
let run: RunningEngine;
let root: string;
let agent: LocalAgent;
let ipv4Only: LocalAgent;

beforeAll(async () => {
  tls = await makeTls();
  root = await mkdtemp(join(tmpdir(), 'sixgate-engine-hosts-'));
  const agentTls = { ca: tls.ca, ...tls.agent };
  [run, agent, ipv4Only] = await Promise.all([
    runEngine(tls),
    startLocalAgent({ root: join(root, 'ref'), tls: agentTls }),
    startLocalAgent({
      root: join(root, 'v4'),
      tls: agentTls,
      program: brokenAgentPrograms['ipv4-only'],
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([run?.[Symbol.asyncDispose](), agent?.stop(), ipv4Only?.stop()]);
  await rm(root, { recursive: true, force: true });
});

describe('add host to the reference engine (local agents)', () => {
  it('by ::1: up, over IPv6, and the agent saw the engine at ::1', async () => {
    const host = await run.client.addHost({ name: 'loop6', address: '::1', port: agent.port });
    expect(host.status, host.statusReason).toBe('up');
    expect(host.connection?.remote).toMatchObject({ address: '::1', family: 6, port: agent.port });
    expect(host.lastClient).toBe('::1');
    expect(samePeer(host.lastClient, host.connection?.local?.address)).toBe(true);
  });

  it('by 127.0.0.1 on a :: listener: up, seen as the same IPv4 peer', async () => {
    const host = await run.client.addHost({
      name: 'loop4',
      address: '127.0.0.1',
      port: agent.port,
    });
    expect(host.status, host.statusReason).toBe('up');
    expect(host.connection?.remote.family).toBe(4);
    expect(samePeer(host.lastClient, '127.0.0.1')).toBe(true);
    expect(samePeer(host.lastClient, host.connection?.local?.address)).toBe(true);
  });

  it('by localhost: up, the name resolved and recorded lower-cased', async () => {
    const host = await run.client.addHost({
      name: 'byname',
      address: ' LocalHost ',
      port: agent.port,
    });
    expect(host.status, host.statusReason).toBe('up');
    expect(host.canonicalAddress).toBe('localhost');
    expect(samePeer(host.lastClient, host.connection?.local?.address)).toBe(true);
  });

  const ll = linkLocal();
  it.skipIf(ll === undefined)(
    `by link-local with its zone${ll ? ` (${ll.address}%${ll.iface})` : ' (skipped: this machine has no link-local IPv6 address)'}`,
    async () => {
      const address = `${ll!.address.toUpperCase()}%${ll!.iface}`;
      const host = await run.client.addHost({ name: 'linklocal', address, port: agent.port });
      expect(host.status, host.statusReason).toBe('up');
      expect(host).toMatchObject({ canonicalAddress: ll!.address, zone: ll!.iface });
      expect(host.connection?.remote.family).toBe(6);
      expect(samePeer(host.lastClient, ll!.address)).toBe(true);
      expect(host.lastClientIface).toBe(ll!.iface);
    },
  );

  it('with a zone naming no interface: non_responsive at resolve', async () => {
    const host = await run.client.addHost({
      name: 'nozone',
      address: 'fe80::1%nosuchif9',
      port: agent.port,
    });
    expect(host.status).toBe('non_responsive');
    expect(host.statusReason).toMatch(/^resolve failed \(no-such-interface\)/);
  });

  it('whose agent listens on IPv4 only, by ::1: non_responsive naming IPv6 and the phase', async () => {
    const host = await run.client.addHost({ name: 'v4only', address: '::1', port: ipv4Only.port });
    expect(host.status).toBe('non_responsive');
    expect(host.statusReason).toMatch(/^connect failed \(refused\) reaching \[::1\]:\d+ over IPv6/);
    const byV4 = await run.client.addHost({
      name: 'v4only4',
      address: '127.0.0.1',
      port: ipv4Only.port,
    });
    expect(byV4.status, byV4.statusReason).toBe('up');
  });

  it('lists, reads and deletes hosts', async () => {
    const added = await run.client.addHost({ name: 'gone', address: '::1', port: agent.port });
    expect((await run.client.listHosts()).map((h) => h.id)).toContain(added.id);
    expect(await run.client.getHost(added.id)).toEqual(added);
    await run.client.deleteHost(added.id);
    const err = await run.client.getHost(added.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineFaultError);
    expect((err as EngineFaultError).status).toBe(404);
  });

  it('a dry run checks the address and adds nothing', async () => {
    const before = (await run.client.listHosts()).length;
    const ok = await run.client.dryRun('hosts', { name: 'dry', address: 'FE80::0001%lo' });
    expect(ok).toMatchObject({
      accepted: true,
      normalized: { host: 'fe80::1', zone: 'lo', kind: 'ipv6' },
    });
    const bad = await run.client.dryRun('hosts', { name: 'dry', address: 'fe80::1%' });
    expect(bad).toMatchObject({ accepted: false, status: 400, fault: { field: 'address' } });
    expect((await run.client.listHosts()).length).toBe(before);
  });
});
