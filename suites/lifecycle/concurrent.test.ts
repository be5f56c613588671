// Several `sixgate run`s on one daemon, as on a shared CI runner: each passes on its own
// topologies (no prefix clash, no sweep of a neighbour, no image pulled from under it), and
// each leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  ownedBy,
  readJunit,
  removeOwned,
  SMALL_CELLS,
  smallCellArgs,
  spawnSixgate,
} from '../support/lifecycle.ts';

const RUNS = 5;
// One topology per run, the modes alternating: 5 runs × both modes would be 70 containers on
// a 2-core runner, which measures the machine rather than the lifecycle.
const modeOf = (i: number) => (i % 2 ? 'ipv6-only' : 'dual-stack');
const dir = mkdtempSync(join(tmpdir(), 'sixgate-concurrent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(dockerReason)(dockerTitle('concurrent runs on one daemon'), () => {
  it(`${RUNS} sixgate runs at once, in both modes: all pass, none leaves anything`, async () => {
    const docker = dockerClient();
    const runs = Array.from({ length: RUNS }, (_, i) =>
      spawnSixgate([
        'run',
        '--provider',
        'docker',
        '--mode',
        modeOf(i),
        ...smallCellArgs(),
        '--junit',
        join(dir, `${i}.xml`),
        '--html',
        join(dir, `${i}.html`),
      ]),
    );
    try {
      const ended = await Promise.all(runs.map((r) => r.exited));
      ended.forEach((e, i) =>
        expect(e, `run ${i}:\n${runs[i]!.stdout()}\n${runs[i]!.stderr()}`).toEqual({
          code: 0,
          signal: null,
        }),
      );
      for (const [i] of runs.entries()) {
        const cases = readJunit(join(dir, `${i}.xml`)).cases;
        expect(cases.map((c) => `${c.mode} ${c.id} ${c.status}`).sort()).toEqual(
          SMALL_CELLS.map((id) => `${modeOf(i)} ${id} passed`).sort(),
        );
      }
      for (const r of runs)
        expect(await ownedBy(docker, r.pid)).toEqual({ containers: [], networks: [], runIds: [] });
    } finally {
      for (const r of runs) r.child.kill('SIGKILL');
      await removeOwned(
        docker,
        runs.map((r) => r.pid),
      );
    }
  }, 600_000);
});
