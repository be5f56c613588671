import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dockerClient, listRuns, removeRun, sweepDeadRuns } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const holder = fileURLToPath(new URL('./fixtures/hold-topology.ts', import.meta.url));

describe.skipIf(dockerReason)(dockerTitle('leftovers of a killed run'), () => {
  it('are swept by the next run, and a live run is left alone', async () => {
    const docker = dockerClient();
    const child = spawn(process.execPath, ['--import', 'tsx', holder], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [runId] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    child.kill('SIGKILL');
    await once(child, 'exit');
    const left = (await listRuns(docker)).find((r) => r.runId === runId);
    expect(left?.containers.length).toBeGreaterThan(0);
    expect(left?.networks.length).toBe(1);

    const live = await docker.createNetwork({
      Name: `sixgate-live-${process.pid}`,
      Labels: {
        'sixgate.run': `live-${process.pid}`,
        'sixgate.owner': left!.owner.replace(/^\d+/, String(process.pid)),
      },
    });
    try {
      await sweepDeadRuns(docker);
      const runs = await listRuns(docker);
      expect(runs.find((r) => r.runId === runId)).toBeUndefined();
      expect(runs.find((r) => r.runId === `live-${process.pid}`)).toBeDefined();
    } finally {
      const mine = (await listRuns(docker)).filter(
        (r) => r.runId === runId || r.runId === `live-${process.pid}`,
      );
      for (const r of mine) await removeRun(docker, r);
      await live.remove().catch(() => undefined);
    }
  });
});
