// Whether one run can reach another on this daemon, proved with two real runs: a peer of one
// dials the other's agent on its ULA. Either that fails, or doctor says runs are not isolated;
// the run's own check (isolation=yes|no) and doctor must say what the two runs showed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRunIsolation,
  dockerClient,
  InterruptedError,
  listRuns,
  RunOwner,
  runIsolation,
  startTopology,
  type StartedTopology,
} from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const AGENT_PORT = 54321;

describe.skipIf(dockerReason)(dockerTitle('isolation between runs on one daemon'), () => {
  let target: StartedTopology;
  let neighbour: StartedTopology;
  beforeAll(async () => {
    [target, neighbour] = await Promise.all([
      startTopology({
        mode: 'dual-stack',
        provider: 'docker',
        agents: [
          { key: 'wildcard', managementIp: '::', managementPort: AGENT_PORT, mutualTls: true },
        ],
      }),
      startTopology({ mode: 'dual-stack', provider: 'docker', agents: [] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([target?.down(), neighbour?.down()]);
  });

  it('a cross-run connect fails, or doctor reports it; the check and doctor agree', async () => {
    const agentUla = target.hosts.get('wildcard')!.primary.ula!;
    const dial = (from: StartedTopology) =>
      from.hosts.get('peer')!.probe.request({
        op: 'tcp-connect',
        host: agentUla,
        port: AGENT_PORT,
        timeoutMs: 2_000,
      });
    // The agent answers its own run's peer, so a failure from the other run is the network's.
    expect(await dial(target)).toMatchObject({ ok: true });
    const cross = await dial(neighbour);
    const isolated = !cross.ok;
    if (!cross.ok)
      expect(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED']).toContain(cross.code);

    const [check, doctor] = await Promise.all([runIsolation(), sixgate(['doctor'])]);
    expect(check.isolated).toBe(isolated);
    expect(check.outcome === 'connected').toBe(cross.ok);
    const line = doctor.stdout.split('\n').find((l) => l.includes('isolation between runs'));
    if (isolated) {
      expect(line).toMatch(
        /^ok {4}isolation between runs: .*: E[A-Z]+; from its own network: connected/,
      );
    } else {
      expect(line).toMatch(/^warn {2}isolation between runs: runs are not isolated: .*: connected/);
      expect(doctor.stdout).toContain(
        'remedy: start dockerd with --experimental --ip6tables (20.10)',
      );
    }
    // Not isolated is a warning, not "not ready".
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/\nready\n$/);

    // Once per daemon and process: the same answer, not a second check.
    expect(await runIsolation()).toBe(check);
    const left = await listRuns(dockerClient());
    expect(left.filter((r) => r.runId === check.runId)).toEqual([]);
  }, 180_000);

  it('a signal during the check cancels it and removes what it made', async () => {
    const docker = dockerClient();
    const owner = new RunOwner();
    const filters = JSON.stringify({ label: ['sixgate.role=isolation-check'] });
    const ours = (labels: Record<string, string> | undefined) =>
      labels?.['sixgate.owner']?.startsWith(`${process.pid}@`) ?? false;
    const networks = async () =>
      (await docker.listNetworks({ filters })).filter((n) => ours(n.Labels));
    const containers = async () =>
      (await docker.listContainers({ all: true, filters })).filter((c) => ours(c.Labels));
    try {
      const check = checkRunIsolation({ docker, teardown: owner.scope() });
      check.catch(() => undefined);
      // Interrupted once it has made something: its networks exist.
      while ((await networks()).length === 0) await new Promise((r) => setTimeout(r, 50));
      owner.interrupt('SIGINT');
      await expect(check).rejects.toBeInstanceOf(InterruptedError);
      expect(await networks()).toEqual([]);
      expect(await containers()).toEqual([]);
    } finally {
      await owner[Symbol.asyncDispose]();
    }
  }, 180_000);
});
