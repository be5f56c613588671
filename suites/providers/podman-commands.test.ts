// The commands beside `run` on Podman, through the CLI as a person types them, with DOCKER_HOST
// unset so discovery finds the sockets (Docker's and Podman's both answer here): `up --provider
// podman` keeps a run on Podman, `ps` lists it as on podman, `run --on` finds it there and passes
// a cell against it, `down` removes it; and a run on Docker sweeps a dead run on Podman. What a
// failing test left is removed by the owner pid of the process that started it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, listRuns, main, type Io, type RunView } from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason } from '../support/docker-gate.ts';
import { readJunit, removeOwned, spawnSixgate } from '../support/lifecycle.ts';
import { ENSURE, podmanReason, requireInCi, ROOTFUL } from '../support/podman-gate.ts';

const reason = await podmanReason(ROOTFUL, ENSURE);
requireInCi([reason]);
const title = (t: string) => (reason ? `${t} [skipped: ${reason}]` : t);

const LOOPBACK = 'local.loopback.bracketed';
const dir = mkdtempSync(join(tmpdir(), 'sixgate-podman-commands-'));
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.DOCKER_HOST;
const podman = clientFor({ socketPath: ROOTFUL });
const reports = (name: string) => [
  '--junit',
  join(dir, `${name}.xml`),
  '--html',
  join(dir, `${name}.html`),
];
const onPodman = async (runId: string) => (await listRuns(podman)).filter((r) => r.runId === runId);

/** Processes that started runs on Podman: what they left is removed by their pid. */
const podmanPids: number[] = [];
afterAll(async () => {
  if (!reason) await removeOwned(podman, podmanPids);
  rmSync(dir, { recursive: true, force: true });
});

describe('--provider choices come from the registry', () => {
  const run = async (argv: string[]) => {
    let err = '';
    const io: Io = {
      stdout: () => undefined,
      stderr: (t) => void (err += t),
      stdin: process.stdin,
    };
    return { code: await main(argv, io), err };
  };

  it('up refuses a provider that keeps no runs (exit 2), listing the ones that do', async () => {
    const r = await run(['up', '--provider', 'local', '--cell', LOOPBACK]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--provider must be one of auto, docker, podman; got 'local'");
  });
});

describe.skipIf(reason)(title('up, ps, run --on, down on Podman'), () => {
  let runId: string;
  beforeAll(async () => {
    const up = await sixgate(['up', '--provider', 'podman', '--cell', LOOPBACK], env, {
      timeoutMs: 280_000,
    });
    podmanPids.push(up.pid);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    runId = /^sixgate run ([0-9a-f]+) \(podman, dual-stack/m.exec(up.stdout)?.[1] ?? '';
    expect(runId, up.stdout).not.toBe('');
    expect(up.stdout).toContain(`podman logs sixgate-${runId}-wildcard`);
    expect((await onPodman(runId))[0]?.keptAt).toBeDefined();
  }, 300_000);

  it('ps lists the run as on podman, in its table and its JSON', async () => {
    const table = await sixgate(['ps'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^RUN +RUNTIME +OWNER/);
    expect(table.stdout).toMatch(new RegExp(`^${runId} +podman +`, 'm'));
    const json = await sixgate(['ps', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const view = (JSON.parse(json.stdout) as RunView[]).filter((r) => r.id === runId);
    expect(view).toEqual([
      expect.objectContaining({
        provider: 'podman',
        runtime: `unix://${ROOTFUL}`,
        containers: 3,
        networks: 1,
      }),
    ]);
    // A configured runtime that does not answer is skipped, said, and the others still listed.
    const dead = await sixgate(['ps'], { ...env, DOCKER_HOST: 'tcp://[::1]:1' });
    expect(dead.code, dead.stderr).toBe(0);
    expect(dead.stdout).toMatch(new RegExp(`^${runId} +podman +`, 'm'));
    expect(dead.stderr).toContain('sixgate ps: skipped tcp://[::1]:1 (DOCKER_HOST)');
  }, 60_000);

  it('run --on finds it on Podman, without --provider, and passes the cell there', async () => {
    const r = await sixgate(['run', '--on', runId, '--cell', LOOPBACK, ...reports('on')], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const junit = readJunit(join(dir, 'on.xml'));
    expect(junit.cases).toEqual([{ id: LOOPBACK, mode: 'dual-stack', status: 'passed' }]);
    expect(junit.properties['dual-stack.provider']).toBe('podman');
    expect(junit.properties['dual-stack.attached']).toBe('true');
    expect(junit.properties['run.provider']).toMatch(
      new RegExp(`^podman \\(kept run ${runId} on Podman Engine .* at unix://${ROOTFUL}\\)$`),
    );
  }, 120_000);

  it('down finds it on Podman and removes everything labelled with its id', async () => {
    const down = await sixgate(['down', runId], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`removed run ${runId} (podman): 3 container(s), 1 network(s)`);
    expect(await onPodman(runId)).toEqual([]);
    const again = await sixgate(['down', runId], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`run ${runId}: nothing left on any reachable runtime`);
  }, 120_000);
});

describe.skipIf(reason || dockerReason)(
  title('the sweep before a run covers every runtime'),
  () => {
    it('a run on Docker removes a dead run on Podman', async () => {
      const args = ['--mode', 'dual-stack', '--cell', LOOPBACK];
      const killed = spawnSixgate(['run', '--provider', 'podman', ...args, ...reports('killed')], {
        ...env,
        SIXGATE_TRACE: '1',
      });
      podmanPids.push(killed.pid);
      try {
        // By the cells every container of the run exists.
        await killed.waitForLine(/^sixgate: phase cells dual-stack$/, 240_000);
      } finally {
        killed.child.kill('SIGKILL');
        await killed.exited;
      }
      const dead = (await listRuns(podman)).filter((r) => r.owner.startsWith(`${killed.pid}@`));
      expect(dead).toHaveLength(1);
      const deadId = dead[0]!.runId;

      const next = await sixgate(['run', '--provider', 'docker', ...args, ...reports('next')], env);
      expect(next.code, next.stdout + next.stderr).toBe(0);
      const junit = readJunit(join(dir, 'next.xml'));
      expect(junit.properties['dual-stack.provider']).toBe('docker');
      expect(junit.properties['dual-stack.swept-runs']?.split(',')).toContain(deadId);
      expect(await onPodman(deadId)).toEqual([]);
    }, 360_000);
  },
);
