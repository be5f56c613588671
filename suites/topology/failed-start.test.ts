// A target host that dies at start is the target's failure, not a broken topology: the rest
// starts, `failed` names the host with its reason and log, and teardown removes everything.
import { describe, expect, it } from 'vitest';
import { dockerClient, listRuns, startTopology } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason)(dockerTitle('a topology whose agent dies at start'), () => {
  it('starts the rest, says which host died and why, and removes everything', async () => {
    const runId = `fail${process.pid.toString(16)}`;
    const t = await startTopology({
      runId,
      mode: 'dual-stack',
      provider: 'docker',
      // An agent that refuses its config and exits, after the network and peer exist.
      agents: [
        { key: 'bad', managementIp: 'not-an-address', managementPort: 54321, mutualTls: true },
      ],
    });
    try {
      expect([...(t.failed?.keys() ?? [])]).toEqual(['bad']);
      expect(t.failed!.get('bad')).toMatch(/agent sixgate-\w+-bad exited \(code \d+\)/);
      expect(t.failed!.get('bad')).toMatch(/management_ip/);
      expect([...t.hosts.keys()]).toEqual(['peer']);
    } finally {
      await t.down();
    }
    expect((await listRuns(dockerClient())).filter((r) => r.runId === runId)).toEqual([]);
  });
});
