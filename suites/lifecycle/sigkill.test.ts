// SIGKILL leaves a run's containers behind (nothing can catch it); the next `sixgate run` on the
// daemon must pass anyway, and sweep them, saying so in its JUnit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient, listRuns } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  ownedBy,
  readJunit,
  removeOwned,
  smallCellArgs,
  spawnSixgate,
  type SpawnedRun,
} from '../support/lifecycle.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-sigkill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(dockerReason)(dockerTitle('sixgate run after a SIGKILLed run'), () => {
  it('passes, and its sweep removes what the killed run left', async () => {
    const docker = dockerClient();
    const args = ['run', '--provider', 'docker', '--mode', 'dual-stack', ...smallCellArgs()];
    const killed = spawnSixgate([...args, '--junit', join(dir, 'killed.xml')], {
      ...process.env,
      SIXGATE_TRACE: '1',
    });
    let next: SpawnedRun | undefined;
    try {
      try {
        // By the DAD wait every container of the run exists.
        await killed.waitForLine(/^sixgate: phase dad-wait dual-stack$/, 120_000);
      } finally {
        killed.child.kill('SIGKILL');
        await killed.exited;
      }
      const left = await ownedBy(docker, killed.pid);
      expect(left.runIds).toHaveLength(1);
      expect(left.containers.length).toBeGreaterThan(0);
      expect(left.networks).toHaveLength(1);
      const killedRun = left.runIds[0]!;

      const junit = join(dir, 'next.xml');
      next = spawnSixgate([...args, '--junit', junit, '--html', join(dir, 'next.html')]);
      const ended = await next.exited;
      expect(ended, next.stderr()).toEqual({ code: 0, signal: null });
      const swept = readJunit(junit).properties['dual-stack.swept-runs']?.split(',');
      expect(swept).toContain(killedRun);
      expect((await listRuns(docker)).find((r) => r.runId === killedRun)).toBeUndefined();
      expect(await ownedBy(docker, killed.pid)).toEqual({
        containers: [],
        networks: [],
        runIds: [],
      });
      expect(await ownedBy(docker, next.pid)).toEqual({ containers: [], networks: [], runIds: [] });
    } finally {
      next?.child.kill('SIGKILL');
      await removeOwned(docker, [killed.pid, ...(next ? [next.pid] : [])]);
    }
  }, 300_000);
});
