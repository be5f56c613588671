// The daemon found where the user configured it: with DOCKER_HOST unset, `docker.host` in
// ~/.testcontainers.properties (HOME a temp dir) names a socket of the test's own, proxied to the
// daemon; `sixgate doctor` finds it, says by which strategy, and its traffic goes through that
// socket. A configured socket that exists but does not answer is exit 3, never a fallback.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_TIMEOUT_MS } from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

/** A HOME of its own whose ~/.testcontainers.properties says `docker.host=<uri>`. */
function homeWith(uri: string): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'sixgate-home-'));
  writeFileSync(join(home, '.testcontainers.properties'), `docker.host=${uri}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CI: '' };
  for (const k of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'XDG_RUNTIME_DIR'])
    delete env[k];
  return { home, env };
}

const listen = (server: Server, path: string) =>
  new Promise<void>((r) => server.listen(path, () => r()));
const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

describe.skipIf(dockerReason)(dockerTitle('docker.host in ~/.testcontainers.properties'), () => {
  const { home, env } = homeWith('unix://PLACEHOLDER');
  const sock = join(home, 'proxied-docker.sock');
  let connections = 0;
  const open = new Set<Socket>();
  const proxy = createServer((c) => {
    connections++;
    open.add(c);
    const d = createConnection('/var/run/docker.sock');
    c.pipe(d).pipe(c);
    c.on('close', () => open.delete(c));
    c.on('error', () => d.destroy());
    d.on('error', () => c.destroy());
  });
  beforeAll(async () => {
    writeFileSync(join(home, '.testcontainers.properties'), `docker.host=unix://${sock}\n`);
    await listen(proxy, sock);
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    await close(proxy);
    rmSync(home, { recursive: true, force: true });
  });

  it('sixgate doctor finds it, says how, and talks to the daemon through it', async () => {
    const r = await sixgate(['doctor'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `ok {4}container runtime found and answering: Docker Engine \\S+ \\(API [\\d.]+\\) at unix://${sock.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, found by docker.host in ~/.testcontainers.properties; --provider auto takes Docker`,
      ),
    );
    expect(r.stdout).toMatch(/\nready\n$/);
    expect(connections).toBeGreaterThan(0);
  });
});

describe('a configured socket that does not answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sixgate-dead-'));
  const silent = createServer(() => undefined);
  const held = new Set<Socket>();
  silent.on('connection', (c) => held.add(c));
  beforeAll(() => listen(silent, join(dir, 'silent.sock')));
  afterAll(async () => {
    for (const c of held) c.destroy();
    await close(silent);
    rmSync(dir, { recursive: true, force: true });
  });

  it('doctor: accepted but never answered is not ready (exit 3), naming the time limit', async () => {
    const { home, env } = homeWith(`unix://${join(dir, 'silent.sock')}`);
    const r = await sixgate(['doctor'], env);
    rmSync(home, { recursive: true, force: true });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/FAIL {2}container runtime found and answering/);
    expect(r.stdout).toContain(
      `timed out after ${VERSION_TIMEOUT_MS} ms waiting for the daemon to answer /version`,
    );
    expect(r.stdout).toMatch(/\nnot ready\n$/);
  });

  it('run: a path that is no socket is exit 3 with the reason in the JUnit, not the local provider', async () => {
    const notSocket = join(dir, 'not-a-socket.sock');
    writeFileSync(notSocket, '');
    const { home, env } = homeWith(`unix://${notSocket}`);
    const junit = join(dir, 'dead.xml');
    const args = ['run', '--mode', 'dual-stack', '--cell', 'local.loopback.bracketed'];
    const r = await sixgate([...args, '--junit', junit, '--html', join(dir, 'd.html')], env);
    rmSync(home, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).not.toMatch(/local provider/);
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<error message="the dual-stack topology did not start: no Docker daemon is reachable/,
    );
    expect(readFileSync(junit, 'utf8')).toContain(
      `configured at unix://${notSocket}, from docker.host in ~/.testcontainers.properties, not answering`,
    );
  });
});
