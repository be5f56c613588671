// Sweeping a dead run is safe when others do it too: two sweeps of the same leftovers at once
// both succeed, and a network that still holds a container that is not the run's is removed
// (the container disconnected, not removed) without a warning.
import { describe, expect, it } from 'vitest';
import {
  dockerClient,
  ensureImage,
  listRuns,
  removeRun,
  sweepDeadRuns,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { killedRun } from '../support/lifecycle.ts';

const status = (err: unknown) => (err as { statusCode?: number }).statusCode;

describe.skipIf(dockerReason)(dockerTitle('sweeping dead runs on a shared daemon'), () => {
  const docker = dockerClient();

  it('two sweeps of one dead run in parallel both succeed and leave nothing', async () => {
    const dead = await killedRun();
    try {
      const before = (await listRuns(docker)).find((r) => r.runId === dead.runId);
      expect(before?.containers.length).toBeGreaterThan(0);
      expect(before?.networks).toHaveLength(1);

      const reports = await Promise.all([
        sweepDeadRuns(dockerClient()),
        sweepDeadRuns(dockerClient()),
      ]);
      expect(reports.map((r) => r.warnings)).toEqual([[], []]);
      expect(reports.flatMap((r) => r.swept)).toContain(dead.runId);
      expect((await listRuns(docker)).find((r) => r.runId === dead.runId)).toBeUndefined();
    } finally {
      const rest = (await listRuns(docker)).find((r) => r.runId === dead.runId);
      if (rest) await removeRun(docker, rest);
    }
  }, 120_000);

  it("removes a dead run's network that a foreign container still holds, and leaves that container", async () => {
    const { tag } = await ensureImage(docker);
    const dead = await killedRun();
    const name = `sixgate-lifecycle-foreign-${process.pid}`;
    try {
      const run = (await listRuns(docker)).find((r) => r.runId === dead.runId)!;
      expect(run.networks).toHaveLength(1);
      const network = run.networks[0]!;
      const networkName = ((await docker.getNetwork(network).inspect()) as { Name: string }).Name;
      // Not labelled as the run's: somebody else's container joined its network.
      const foreign = await docker.createContainer({
        name,
        Image: tag,
        Cmd: ['-e', 'setInterval(() => {}, 1 << 30)'],
        HostConfig: { NetworkMode: network },
      });
      await foreign.start();

      const report = await sweepDeadRuns(docker);
      expect(report.warnings).toEqual([]);
      expect(report.swept).toContain(dead.runId);
      expect(
        await docker
          .getNetwork(network)
          .inspect()
          .then(
            () => 'still there',
            (err) => status(err),
          ),
      ).toBe(404);
      const left = await foreign.inspect();
      expect(left.State.Running).toBe(true);
      expect(Object.keys(left.NetworkSettings.Networks)).not.toContain(networkName);
      expect((await listRuns(docker)).find((r) => r.runId === dead.runId)).toBeUndefined();
    } finally {
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
      const rest = (await listRuns(docker)).find((r) => r.runId === dead.runId);
      if (rest) await removeRun(docker, rest);
    }
  }, 120_000);
});
