// DOCKER_HOST as users write it, parsed and then really dialled: a bracketed IPv6 host through a
// proxy on [::1] to the daemon's socket, and a zoned link-local one from a network namespace of
// the test's own (a link-local address on its loopback), where docker-modem's URL cannot go.
import { execFile } from 'node:child_process';
import { createConnection, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient, parseDockerHost } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe('DOCKER_HOST parsing', () => {
  it.each([
    [undefined, { socketPath: '/var/run/docker.sock' }],
    ['unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }],
    ['tcp://[fd00::1]:2375', { protocol: 'http', host: 'fd00::1', port: 2375 }],
    ['tcp://[fe80::1%eth0]:2375', { protocol: 'http', host: 'fe80::1%eth0', port: 2375 }],
    ['tcp://docker.example:2375', { protocol: 'http', host: 'docker.example', port: 2375 }],
    ['https://[::1]', { protocol: 'https', host: '::1', port: 2376 }],
  ])('%s', (value, expected) => {
    expect(parseDockerHost(value, {})).toEqual(expected);
  });

  it('rejects an unbracketed IPv6 host with a hint', () => {
    expect(() => parseDockerHost('tcp://fd00::1:2375')).toThrow(/DOCKER_HOST/);
  });
});

/** A TCP listener that pipes every connection to the daemon's unix socket. */
function proxyToDaemon(host: string): Promise<Server & { port: number }> {
  const server = createServer((c) => {
    const d = createConnection('/var/run/docker.sock');
    c.pipe(d).pipe(c);
    c.on('error', () => d.destroy());
    d.on('error', () => c.destroy());
  });
  return new Promise((resolve) =>
    server.listen({ host, port: 0 }, () =>
      resolve(Object.assign(server, { port: (server.address() as { port: number }).port })),
    ),
  );
}

describe.skipIf(dockerReason)(dockerTitle('DOCKER_HOST over IPv6, really connected'), () => {
  let proxy: Server & { port: number };
  beforeAll(async () => {
    proxy = await proxyToDaemon('::1');
  });
  afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

  it('reaches the daemon at tcp://[::1]:PORT', async () => {
    const docker = dockerClient({ DOCKER_HOST: `tcp://[::1]:${proxy.port}` });
    const v = await docker.version();
    expect(v.ApiVersion).toMatch(/^1\.\d+$/);
  });

  it('reaches it at a zoned link-local tcp://[fe80::1%lo]:PORT (in a namespace of its own)', async () => {
    // A new network namespace (root only): its loopback gets fe80::1, the proxy listens there
    // with the zone, and the client is asked for `version` through that DOCKER_HOST.
    const script = fileURLToPath(new URL('./fixtures/zoned-docker-host.ts', import.meta.url));
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        'unshare',
        ['--net', '--', process.execPath, '--import', 'tsx', script],
        { timeout: 60_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      dockerHost: expect.stringMatching(/^tcp:\/\/\[fe80::1%lo\]:\d+$/),
      apiVersion: expect.stringMatching(/^1\.\d+$/),
    });
  });
});
