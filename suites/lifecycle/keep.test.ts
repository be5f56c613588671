// `--keep` on a shared daemon: the kept topology outlives its process and every later run's
// sweep, `sixgate ps` shows it as kept, and only `sixgate down` removes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient, listRuns, surveyRuntimes, type RunView } from '../../harness/index.ts';
import { sixgate, type CliResult } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { removeOwned } from '../support/lifecycle.ts';

const CELL = ['--cell', 'local.loopback.bracketed'];
const dir = mkdtempSync(join(tmpdir(), 'sixgate-keep-'));

/** `sixgate run --keep` of one small cell; the run id is in what it prints. */
async function keptRun(name: string): Promise<{ result: CliResult; runId?: string }> {
  const result = await sixgate([
    'run',
    '--provider',
    'docker',
    '--keep',
    '--mode',
    'dual-stack',
    ...CELL,
    '--junit',
    join(dir, `${name}.xml`),
    '--html',
    join(dir, `${name}.html`),
  ]);
  return {
    result,
    runId: /^sixgate run ([0-9a-f]+) \(docker, dual-stack/m.exec(result.stdout)?.[1],
  };
}

const resources = async (runId: string) => {
  const r = (await listRuns(dockerClient())).find((x) => x.runId === runId);
  return r && { containers: [...r.containers].sort(), networks: [...r.networks].sort() };
};

describe.skipIf(dockerReason)(dockerTitle('a kept run on a shared daemon'), () => {
  let first: Awaited<ReturnType<typeof keptRun>>;
  let second: Awaited<ReturnType<typeof keptRun>>;
  beforeAll(async () => {
    [first, second] = await Promise.all([keptRun('first'), keptRun('second')]);
  }, 300_000);
  afterAll(async () => {
    // By owner pid, not by the printed id: a run whose id the test could not read is still ours.
    await removeOwned(
      dockerClient(),
      [first, second].flatMap((k) => (k ? [k.result.pid] : [])),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives 3 later runs, is listed by sixgate ps, and sixgate down removes it', async () => {
    expect(first.result.code, first.result.stderr).toBe(0);
    const id = first.runId!;
    expect(id).toBeDefined();
    const before = await resources(id);
    expect(before?.containers.length).toBeGreaterThan(0);
    expect(before?.networks).toHaveLength(1);

    const later = await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        sixgate([
          'run',
          '--provider',
          'docker',
          '--mode',
          'dual-stack',
          ...CELL,
          '--junit',
          join(dir, `later-${n}.xml`),
          '--html',
          join(dir, `later-${n}.html`),
        ]),
      ),
    );
    for (const r of later) expect(r.code, r.stderr).toBe(0);
    expect(await resources(id)).toEqual(before);

    const ps = await sixgate(['ps', '--json']);
    expect(ps.code, ps.stderr).toBe(0);
    const view = (JSON.parse(ps.stdout) as RunView[]).find((r) => r.id === id);
    expect(view).toMatchObject({
      state: 'dead',
      containers: before!.containers.length,
      networks: 1,
    });
    expect(Number.isNaN(Date.parse(view!.keptAt!))).toBe(false);

    const down = await sixgate(['down', id]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`removed run ${id}`);
    expect(await resources(id)).toBeUndefined();
    const again = await sixgate(['down', id]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`run ${id}: nothing left on any reachable runtime`);
  }, 300_000);

  it('down --kept --older-than 1h leaves a run kept just now; down --kept removes it', async (ctx) => {
    expect(second.result.code, second.result.stderr).toBe(0);
    const id = second.runId!;
    expect(await resources(id)).toBeDefined();
    // `down --kept` acts on every reachable runtime: never on somebody else's kept topology.
    const { reachable } = await surveyRuntimes();
    const others = (await Promise.all(reachable.map((r) => listRuns(r.docker))))
      .flat()
      .filter((r) => r.keptAt && r.runId !== id && r.runId !== first.runId);
    if (others.length)
      ctx.skip(
        `other kept runs on a reachable runtime (${others.map((r) => r.runId).join(', ')}); 'down --kept' would remove them`,
      );

    const young = await sixgate(['down', '--kept', '--older-than', '1h']);
    expect(young.code, young.stderr).toBe(0);
    expect(young.stdout).toContain('no kept runs to remove');
    expect(await resources(id)).toBeDefined();

    const all = await sixgate(['down', '--kept']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(`removed run ${id}`);
    expect(await resources(id)).toBeUndefined();
  }, 120_000);
});
