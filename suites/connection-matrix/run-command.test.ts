import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { sixgate } from '../support/cli.ts';
import { ownedBy } from '../support/lifecycle.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(dockerReason)(dockerTitle('sixgate run, the main job'), () => {
  it('exits 0 and writes JUnit when the target passes', async () => {
    const junit = join(dir, 'pass.xml');
    const r = await sixgate([
      'run',
      '--provider',
      'docker',
      '--mode',
      'ipv6-only',
      '--cell',
      'local.loopback.bracketed-port',
      '--junit',
      junit,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/matrix: 1 passed, 0 failed, 0 skipped/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      /<testcase classname="sixgate.matrix.reference.ipv6-only" name="local.loopback.bracketed-port"/,
    );
    expect(xml).toContain('<property name="ipv6-only.ipv6-only-method"');
  });

  it('exits 1 with a <failure> and the repro commands when the target is broken', async () => {
    const junit = join(dir, 'fail.xml');
    const r = await sixgate([
      'run',
      '--provider',
      'docker',
      '--mode',
      'dual-stack',
      '--target',
      'broken-ipv4-only',
      '--cell',
      'local.loopback.bracketed-port',
      '--junit',
      junit,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      // As the user invoked sixgate (npx, PATH, or node and the script), then the same target.
      /repro: +(?:npx sixgate|sixgate|node \S+) run --cell local\.loopback\.bracketed-port --mode dual-stack --provider docker --target broken-ipv4-only --keep/,
    );
    expect(r.stdout).toMatch(
      /repro: +docker exec sixgate-\w+-broken-ipv4-only\.wildcard-probe .*client\.mjs -s '\[::1\]:54321' getVdsCaps/,
    );
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<failure message="expected to connect, but connect\/refused/,
    );
  });

  it('exits 2 on bad input and creates nothing', async () => {
    const r = await sixgate(['run', '--provider', 'docker', '--cell', 'local.nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cell: no cell named 'local.nope'/);
    expect(await ownedBy(dockerClient(), r.pid)).toEqual({
      containers: [],
      networks: [],
      runIds: [],
    });
  });
});

describe('sixgate run when Docker is not there', () => {
  it('writes JUnit with a harness <error> per cell and exits 3 (environment not ready)', async () => {
    const junit = join(dir, 'no-docker.xml');
    // Port 1 on loopback: nothing answers, so the daemon is unreachable.
    const r = await sixgate(
      ['run', '--provider', 'docker', '--mode', 'dual-stack', '--junit', junit],
      {
        ...process.env,
        DOCKER_HOST: 'tcp://[::1]:1',
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/SIXGATE_NO_DOCKER/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      // junit-10: the totals on <testsuites>, the skips on each <testsuite>.
      /<testsuites name="sixgate" tests="(\d+)" failures="0" errors="\1" time="[\d.]+">\s*<testsuite [^>]*skipped="0"/,
    );
    expect(xml).toMatch(
      /<error message="the dual-stack topology did not start: no Docker daemon is reachable/,
    );
  });
});
