// The native IPv6-only path (Docker 28+, `EnableIPv4: false`) on a daemon that is not 28: a fake
// daemon on a unix socket answers as 28 does — /version says API 1.48, a network inspect shows
// no IPv4 (EnableIPv4 false, no IPv4 subnet) — and forwards everything else to the real daemon,
// so containers really start. Docker 20.10 still hands out IPv4, so the fake takes it away when a
// container on such a network starts (in its namespace, as root), before it answers the start:
// what the harness then sees is what 28 gives. A second fake claims the same but leaves IPv4 in
// place: a runtime that says "no IPv4" and hands it out anyway must get the fallback instead.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  ENGINE_CELLS,
  methodFromInspect,
  NATIVE_IPV4_AIM,
  REFERENCE_TARGET,
  rolesOf,
  runEngineChecks,
  runMatrix,
  startTopology,
  type CellResult,
  type StartedTopology,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const REAL = '/var/run/docker.sock';
const run = promisify(execFile);
const route = (url: string) => url.replace(/^\/v[\d.]+\//, '/').split('?')[0]!;

function upstream(
  req: { method?: string; url?: string; headers: IncomingMessage['headers'] },
  body?: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (body) {
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
    }
    const r = request({ socketPath: REAL, method: req.method, path: req.url, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    r.on('error', reject);
    r.end(body);
  });
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });

const json = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
};

interface FakeDaemon {
  socket: string;
  /** Every /networks/create body it was sent. */
  creates: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A Docker 28 look-alike in front of the real daemon; `takeIpv4` makes its networks IPv6-only. */
async function fakeDocker28(dir: string, takeIpv4: boolean): Promise<FakeDaemon> {
  const socket = join(dir, `docker28-${takeIpv4 ? 'native' : 'liar'}.sock`);
  const creates: Array<Record<string, unknown>> = [];
  const v6only = new Set<string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = route(req.url ?? '/');
      if (req.method === 'GET' && path === '/version') {
        const v = JSON.parse((await upstream(req)).body.toString()) as Record<string, unknown>;
        return json(res, 200, {
          ...v,
          Version: '28.0.4',
          ApiVersion: '1.48',
          Components: [{ Name: 'Engine', Version: '28.0.4' }],
        });
      }
      if (req.method === 'POST' && path === '/networks/create') {
        const body = await readBody(req);
        const spec = JSON.parse(body.toString()) as Record<string, unknown>;
        creates.push(spec);
        const up = await upstream(req, body);
        if (up.status === 201 && spec.EnableIPv4 === false) {
          v6only.add(spec.Name as string);
          v6only.add((JSON.parse(up.body.toString()) as { Id: string }).Id);
        }
        res.writeHead(up.status, up.headers);
        return res.end(up.body);
      }
      const net = /^\/networks\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && net && v6only.has(decodeURIComponent(net[1]!))) {
        const up = await upstream(req);
        if (up.status !== 200) return json(res, up.status, JSON.parse(up.body.toString()));
        const n = JSON.parse(up.body.toString()) as {
          IPAM: { Config: Array<{ Subnet: string }> };
          Containers?: Record<string, { IPv4Address: string }>;
        };
        n.IPAM.Config = n.IPAM.Config.filter((c) => c.Subnet.includes(':'));
        for (const c of Object.values(n.Containers ?? {})) c.IPv4Address = '';
        return json(res, 200, { ...n, EnableIPv4: false });
      }
      const start = /^\/containers\/([^/]+)\/start$/.exec(path);
      if (req.method === 'POST' && start && takeIpv4) {
        const up = await upstream(req, await readBody(req));
        if (up.status === 204) {
          const c = JSON.parse(
            (
              await upstream({ method: 'GET', url: `/containers/${start[1]}/json`, headers: {} })
            ).body.toString(),
          ) as {
            State: { Pid: number };
            HostConfig: { NetworkMode: string };
          };
          // What Docker 28 never gives a container on an IPv6-only network: taken at once.
          if (v6only.has(c.HostConfig.NetworkMode)) {
            await run('nsenter', [
              '-t',
              String(c.State.Pid),
              '-n',
              'ip',
              '-4',
              'addr',
              'flush',
              'dev',
              'eth0',
            ]);
          }
        }
        res.writeHead(up.status, up.headers);
        return res.end(up.body);
      }
      // Everything else, streamed both ways unchanged.
      const r = request(
        { socketPath: REAL, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      r.on('error', () => res.destroy());
      req.pipe(r);
    })().catch(() => res.destroy());
  });
  // `docker attach` upgrades the connection: from there it is a raw stream to the real daemon.
  server.on('upgrade', (req: IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
    const d = createConnection(REAL, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      d.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) d.write(head);
      client.pipe(d).pipe(client);
    });
    d.on('error', () => client.destroy());
    client.on('error', () => d.destroy());
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    creates,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('what a network inspect says about IPv4', () => {
  const v6 = { Subnet: 'fd00:1::/64' };
  const cases: Array<[string, Parameters<typeof methodFromInspect>[0], string]> = [
    [
      'Docker 28, EnableIPv4 false, an IPv6 subnet only',
      { EnableIPv4: false, IPAM: { Config: [v6] } },
      'native',
    ],
    ['Podman, an IPv6 subnet only (no EnableIPv4 field)', { IPAM: { Config: [v6] } }, 'native'],
    [
      'Podman 4, IPv4 added to an IPv6-only request',
      { IPAM: { Config: [v6, { Subnet: '10.89.0.0/24' }] } },
      'flush-ipv4',
    ],
    [
      'Docker 20.10 (EnableIPv4 unknown; IPv4 subnet assigned)',
      { IPAM: { Config: [v6, { Subnet: '172.18.0.0/16' }] } },
      'flush-ipv4',
    ],
    ['EnableIPv4 true', { EnableIPv4: true, IPAM: { Config: [v6] } }, 'flush-ipv4'],
  ];
  it.each(cases)('%s', (_title, inspect, method) => {
    expect(methodFromInspect(inspect)).toBe(method);
  });
});

describe.skipIf(dockerReason)(
  dockerTitle('native IPv6-only through a Docker 28 look-alike'),
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sixgate-native-'));
    const saved = process.env.DOCKER_HOST;
    let fake: FakeDaemon;
    let topology: StartedTopology | undefined;
    const results = new Map<string, CellResult>();

    beforeAll(async () => {
      fake = await fakeDocker28(dir, true);
      process.env.DOCKER_HOST = `unix://${fake.socket}`;
      topology = await startTopology({
        mode: 'ipv6-only',
        provider: 'docker',
        engine: true,
        agents: agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS)),
      });
      for (const r of await runMatrix(topology)) results.set(r.id, r);
      const v4 = ENGINE_CELLS.filter((c) => c.id === 'engine.add-host.ipv4');
      for (const r of await runEngineChecks(topology, { cells: v4, corpus: false }))
        results.set(r.id, r);
    });
    afterAll(async () => {
      await topology?.down();
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      await fake?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('asks for a network without IPv4 and reports the native method', () => {
      expect(fake.creates.map((c) => c.EnableIPv4)).toContain(false);
      expect(topology?.ipv6OnlyMethod).toBe('native');
      expect(topology?.facts['ipv6-only.flushed']).toBeUndefined();
    });

    it('aims every IPv4 cell at TEST-NET-1, an address no host has', () => {
      const net = ipaddr.parseCIDR(NATIVE_IPV4_AIM);
      for (const [key, h] of topology!.hosts) {
        expect(h.formerIpv4, key).toBeDefined();
        expect(ipaddr.parse(h.formerIpv4!).match(net), `${key}: ${h.formerIpv4}`).toBe(true);
        expect(h.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.ipv4)).toEqual([]);
      }
    });

    it('passes every matrix cell: IPv6 connects, IPv4 finds no route', () => {
      const notPassed = CELLS.map((c) => results.get(c.id)).filter((r) => r?.status !== 'passed');
      expect(notPassed.map((r) => `${r?.id}: ${r?.status} ${r?.message ?? ''}`)).toEqual([]);
      const v4 = results.get('peer.ipv4.dotted');
      expect(v4?.outcome?.ok).toBe(false);
    });

    it('has the engine end an agent added by IPv4 non_responsive, naming IPv4', () => {
      const r = results.get('engine.add-host.ipv4');
      expect(r?.status, `${r?.message}\n${r?.diagnostics ?? ''}`).toBe('passed');
    });
  },
);

describe.skipIf(dockerReason)(dockerTitle('a runtime that claims no IPv4 but hands it out'), () => {
  const dir = mkdtempSync(join(tmpdir(), 'sixgate-liar-'));
  const saved = process.env.DOCKER_HOST;
  let fake: FakeDaemon;
  let topology: StartedTopology | undefined;

  beforeAll(async () => {
    fake = await fakeDocker28(dir, false);
    process.env.DOCKER_HOST = `unix://${fake.socket}`;
    topology = await startTopology({
      mode: 'ipv6-only',
      provider: 'docker',
      agents: [{ key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true }],
    });
  });
  afterAll(async () => {
    await topology?.down();
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the flush fallback, and the report says why', () => {
    expect(topology?.ipv6OnlyMethod).toBe('flush-ipv4');
    expect(topology?.facts['ipv6-only.native-refused']).toMatch(
      /reports no IPv4, but wildcard has /,
    );
    const agent = topology!.hosts.get('wildcard')!;
    expect(topology?.facts['ipv6-only.flushed']).toContain(`wildcard=${agent.formerIpv4}`);
    for (const h of topology!.hosts.values())
      expect(h.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.ipv4)).toEqual([]);
  });
});
