// The bench's hand-done floor (harness/bench/floor.ts) must do the work it stands for: the
// reference agent in sixgate's image answering getVdsCapabilities over mutual TLS on each
// documented form, `lastClient` checked, and nothing left behind. A broken agent must fail it.
// Its speed is the bench's business, not this file's.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dockerClient, LABEL_RUN } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

const FLOOR = fileURLToPath(new URL('../../harness/bench/floor.ts', import.meta.url));

function floor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', FLOOR, ...args],
      { timeout: 300_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function leftovers(runId: string): Promise<string[]> {
  const docker = dockerClient();
  const filters = { label: [`${LABEL_RUN}=${runId}`] };
  const [cs, ns] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return [...cs.map((c) => c.Names[0]!), ...ns.map((n) => n.Name)];
}

// Each case is a whole process (tsx start, a container, TLS): generous on a loaded runner.
const SLOW = { timeout: 240_000 };

describe.skipIf(dockerReason)(dockerTitle('bench floor'), () => {
  it(
    'calls the reference agent on the six documented forms and removes what it made',
    SLOW,
    async () => {
      const r = await floor(['six-cells', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        runId: string;
        calls: Array<{ spec: string; lastClient: string }>;
      };
      expect(out.calls.map((c) => c.spec)).toEqual([
        '[::1]',
        '[::1]:54321',
        'localhost6',
        'localhost6:54321',
        '[fe80::…%eth0]',
        '[fe80::…%eth0]:54321',
      ]);
      const last = out.calls.map((c) => c.lastClient);
      expect(last.slice(0, 4)).toEqual(['::1', '::1', '::1', '::1']);
      for (const l of last.slice(4)) expect(l).toMatch(/^fe80:[0-9a-f:]+%eth0$/);
      expect(await leftovers(out.runId)).toEqual([]);
    },
  );

  it('fails on an agent that misreports lastClient, naming it', SLOW, async () => {
    const r = await floor(['one-cell', '--program', 'agent-wrong-last-client']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\[::1\]: lastClient "[^"]*" is not the caller ::1/);
  });

  it('refuses an unknown program before creating anything', SLOW, async () => {
    const r = await floor(['one-cell', '--program', 'no-such-agent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--program no-such-agent is not a program of the image');
  });
});
