import { describe, expect, it } from 'vitest';
import { dockerClient, listRuns, SixgateError, startTopology } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason)(dockerTitle('a topology whose start fails'), () => {
  it('says which host died and why, and removes what it had created', async () => {
    const runId = `fail${process.pid.toString(16)}`;
    const err = await startTopology({
      runId,
      mode: 'dual-stack',
      provider: 'docker',
      // An agent that refuses its config and exits, after the network and peer exist.
      agents: [
        { key: 'bad', managementIp: 'not-an-address', managementPort: 54321, mutualTls: true },
      ],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SixgateError);
    expect((err as SixgateError).code).toBe('SIXGATE_HOST_EXITED');
    expect(`${(err as SixgateError).message}\n${(err as SixgateError).hint}`).toMatch(
      /management_ip/,
    );
    expect((await listRuns(dockerClient())).filter((r) => r.runId === runId)).toEqual([]);
  });
});
