import { describe, expect, it } from 'vitest';
import { dockerClient, listRuns, removeRun, sweepDeadRuns } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { killedRun, ownerOf } from '../support/lifecycle.ts';

describe.skipIf(dockerReason)(dockerTitle('leftovers of a killed run'), () => {
  it('are swept by the next run, and a live run is left alone', async () => {
    const docker = dockerClient();
    const { runId } = await killedRun();
    const left = (await listRuns(docker)).find((r) => r.runId === runId);
    expect(left?.containers.length).toBeGreaterThan(0);
    expect(left?.networks.length).toBe(1);

    const liveId = `live-${process.pid}`;
    const live = await docker.createNetwork({
      Name: `sixgate-live-${process.pid}`,
      Labels: { 'sixgate.run': liveId, 'sixgate.owner': ownerOf(process.pid) },
    });
    try {
      const report = await sweepDeadRuns(docker);
      expect(report.warnings).toEqual([]);
      expect(report.swept).toContain(runId);
      expect(report.swept).not.toContain(liveId);
      const runs = await listRuns(docker);
      expect(runs.find((r) => r.runId === runId)).toBeUndefined();
      expect(runs.find((r) => r.runId === liveId)).toBeDefined();
    } finally {
      const mine = (await listRuns(docker)).filter((r) => r.runId === runId || r.runId === liveId);
      for (const r of mine) await removeRun(docker, r);
      await live.remove().catch(() => undefined);
    }
  });
});
