import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { CLI } from '../support/cli.ts';
import { ownedBy } from '../support/lifecycle.ts';

describe.skipIf(dockerReason)(dockerTitle('Ctrl-C during sixgate run'), () => {
  it('tears down everything the run created before the process ends', async () => {
    const docker = dockerClient();
    const child = spawn(process.execPath, [CLI, 'run', '--mode', 'dual-stack'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');

    // Interrupt mid-start, once the run has containers up.
    const deadline = Date.now() + 60_000;
    while ((await ownedBy(docker, child.pid!)).containers.length < 2) {
      expect(Date.now(), `the run made no containers; its stderr:\n${stderr}`).toBeLessThan(
        deadline,
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];

    // Teardown first, then the signal ends the process as it would have: interrupted, not passed.
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    expect(await ownedBy(docker, child.pid!)).toEqual({ containers: [], networks: [], runIds: [] });
  }, 180_000);
});
