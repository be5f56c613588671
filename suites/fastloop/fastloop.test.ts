// The fast loop: `sixgate up` starts a kept run with only what its cells need, `sixgate run --on`
// runs cells against it creating nothing, `sixgate down` ends it; a bad, live or foreign run id
// is refused with its exit code; `up --watch` reruns on a change and ends by Ctrl-C, still kept.
// One kept run is shared by the assertions that can share it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerClient,
  imageTag,
  LABEL_IMAGE,
  LABEL_KEPT,
  LABEL_OWNER,
  LABEL_RUN,
  listRuns,
  removeRun,
  startTopology,
} from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { ownedBy, readJunit, removeOwned, spawnSixgate } from '../support/lifecycle.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-fastloop-'));
const docker = dockerClient();
const LOOPBACK = 'local.loopback.bracketed';
const LINK_LOCAL = 'local.link-local.zone';
const runIdOf = (stdout: string) =>
  /^sixgate run ([0-9a-f]+) \(docker, dual-stack/m.exec(stdout)?.[1];
const reports = (name: string) => [
  '--junit',
  join(dir, `${name}.xml`),
  '--html',
  join(dir, `${name}.html`),
];
const containersOf = async (runId: string) =>
  (
    await docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${LABEL_RUN}=${runId}`] }),
    })
  ).sort((a, b) => a.Id.localeCompare(b.Id));

/** Container create events in [since, until] whose owner label names process `pid`. */
async function createdBy(pid: number, since: number, until: number): Promise<string[]> {
  const stream = await docker.getEvents({
    since,
    until,
    filters: { type: ['container'], event: ['create'] },
  });
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { Actor: { Attributes: Record<string, string> } })
    .filter((e) => (e.Actor.Attributes[LABEL_OWNER] ?? '').startsWith(`${pid}@${hostname()}`))
    .map((e) => e.Actor.Attributes.name ?? '?');
}

const ours = new Set<string>();
/** The `up` processes: what they started is ours even when a test could not read its id. */
const upPids: number[] = [];
afterAll(async () => {
  for (const r of await listRuns(docker)) if (ours.has(r.runId)) await removeRun(docker, r);
  await removeOwned(docker, upPids);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(dockerReason)(dockerTitle('up, run --on, down'), () => {
  let runId: string;
  beforeAll(async () => {
    const up = await sixgate(['up', '--cell', LOOPBACK]);
    upPids.push(up.pid);
    expect(up.code, up.stderr).toBe(0);
    runId = runIdOf(up.stdout)!;
    expect(runId, up.stdout).toBeDefined();
    ours.add(runId);
    // The exact next commands are printed.
    expect(up.stdout).toMatch(new RegExp(`run --on ${runId} --cell ${LOOPBACK}\\n`));
    expect(up.stdout).toMatch(new RegExp(`down ${runId}\\n`));
  }, 300_000);

  it('starts only the hosts its cells need: no engine for a matrix cell', async () => {
    const roles = (await containersOf(runId)).map(
      (c) => `${c.Labels['sixgate.host']}/${c.Labels['sixgate.role']}`,
    );
    expect(roles.sort()).toEqual(['peer/probe', 'wildcard/agent', 'wildcard/probe']);
  });

  it('runs a cell twice on the kept run; the second creates no container', async () => {
    const before = await containersOf(runId);
    const first = await sixgate(['run', '--on', runId, '--cell', LOOPBACK, ...reports('on-1')]);
    expect(first.code, first.stderr).toBe(0);
    const since = Math.floor(Date.now() / 1000);
    const second = await sixgate(['run', '--on', runId, '--cell', LOOPBACK, ...reports('on-2')]);
    const until = Math.ceil(Date.now() / 1000) + 1;
    expect(second.code, second.stderr).toBe(0);
    const junit = readJunit(join(dir, 'on-2.xml'));
    expect(junit.cases).toEqual([{ id: LOOPBACK, mode: 'dual-stack', status: 'passed' }]);
    // No link-local cell was selected at `up`: it did not wait for DAD, and says so.
    expect(junit.properties['dual-stack.dad']).toMatch(/^not awaited/);
    expect(junit.properties['dual-stack.attached']).toBe('true');
    expect(await createdBy(second.pid, since, until)).toEqual([]);
    expect((await containersOf(runId)).map((c) => [c.Id, c.State])).toEqual(
      before.map((c) => [c.Id, c.State]),
    );
  }, 120_000);

  it('a link-local cell still passes on a run that did not wait for DAD', async () => {
    const r = await sixgate(['run', '--on', runId, '--cell', LINK_LOCAL, ...reports('ll')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readJunit(join(dir, 'll.xml')).cases).toEqual([
      { id: LINK_LOCAL, mode: 'dual-stack', status: 'passed' },
    ]);
  }, 120_000);

  it('refuses cells whose hosts the run lacks (exit 2), naming them', async () => {
    const r = await sixgate(['run', '--on', runId, '--cell', 'alt-port.honoured', ...reports('x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`run ${runId} has no alt-port host`);
  }, 60_000);

  it('down removes it; then its id is unknown (exit 2)', async () => {
    const down = await sixgate(['down', runId]);
    expect(down.code, down.stderr).toBe(0);
    expect(await containersOf(runId)).toEqual([]);
    const gone = await sixgate(['run', '--on', runId, '--cell', LOOPBACK, ...reports('gone')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`no run ${runId} on any reachable runtime`);
  }, 60_000);
});

describe.skipIf(dockerReason)(dockerTitle('run --on refuses what it cannot attach to'), () => {
  it('an id that is no run (2), a live run that is not kept (2), another image tag (3)', async () => {
    const bad = await sixgate(['run', '--on', 'no-such-run', '--cell', LOOPBACK, ...reports('b')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no run no-such-run on any reachable runtime');

    // A live run, not kept: this test process owns it.
    await using live = await startTopology({ mode: 'dual-stack', agents: [], provider: 'docker' });
    ours.add(live.runId);
    const notKept = await sixgate(['run', '--on', live.runId, '--cell', LOOPBACK, ...reports('l')]);
    expect(notKept.code).toBe(2);
    expect(notKept.stderr).toContain(`run ${live.runId} is not kept`);

    // A kept run made by a sixgate whose image differs: one container carrying its labels.
    const foreign = `fastloop-${process.pid}`;
    ours.add(foreign);
    const mine = await imageTag();
    await docker.createContainer({
      name: `sixgate-${foreign}-peer`,
      Image: mine,
      Labels: {
        [LABEL_RUN]: foreign,
        [LABEL_OWNER]: `1@${hostname()}`,
        [LABEL_KEPT]: new Date().toISOString(),
        [LABEL_IMAGE]: 'sixgate:0000000000000000',
        'sixgate.host': 'peer',
      },
    });
    const other = await sixgate(['run', '--on', foreign, '--cell', LOOPBACK, ...reports('f')]);
    expect(other.code).toBe(3);
    expect(other.stderr).toContain(`run ${foreign} was started by another sixgate`);
    expect(other.stderr).toContain(`sixgate down ${foreign}`);
  }, 180_000);
});

describe.skipIf(dockerReason)(dockerTitle('up --watch'), () => {
  it('reruns the cells when a watched file changes; Ctrl-C ends it and the run stays kept', async () => {
    const file = join(dir, 'watched.txt');
    writeFileSync(file, 'one\n');
    const up = spawnSixgate(['up', '--cell', LOOPBACK, '--watch', '--watch-file', file]);
    upPids.push(up.pid);
    try {
      const until = async (re: RegExp) => {
        while (!re.test(up.stdout())) {
          const ended = await Promise.race([
            up.exited.then(() => true),
            new Promise((r) => setTimeout(() => r(false), 200)),
          ]);
          if (ended) throw new Error(`up ended early:\n${up.stdout()}\n${up.stderr()}`);
        }
      };
      await until(/watching /);
      const runId = runIdOf(up.stdout())!;
      ours.add(runId);
      expect(up.stdout()).toMatch(/started: running the cells/);
      writeFileSync(file, 'two\n');
      await until(/watched\.txt changed: running the cells[\s\S]*pass +dual-stack local\.loopback/);
      up.child.kill('SIGINT');
      expect(await up.exited).toEqual({ code: null, signal: 'SIGINT' });
      const run = (await listRuns(docker)).find((r) => r.runId === runId);
      expect(run?.keptAt).toBeDefined();
      expect(run?.containers.length).toBe(3);
    } finally {
      if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    }
  }, 300_000);
});

describe.skipIf(dockerReason)(dockerTitle('an interrupted up'), () => {
  it('leaves nothing behind: SIGINT while its containers are being created', async () => {
    const up = spawnSixgate(['up', '--cell', LOOPBACK], { ...process.env, SIXGATE_TRACE: '1' });
    upPids.push(up.pid);
    try {
      await up.waitForLine(/phase container-create/, 240_000);
      up.child.kill('SIGINT');
      expect(await up.exited).toEqual({ code: null, signal: 'SIGINT' });
      expect(up.stdout()).not.toMatch(/^sixgate run /m);
      expect(await ownedBy(docker, up.pid)).toEqual({ containers: [], networks: [], runIds: [] });
    } finally {
      if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    }
  }, 300_000);
});

describe.skipIf(dockerReason)(
  dockerTitle('a run starts the peer only for cells run from it'),
  () => {
    const names = async (cells: string[], name: string) => {
      const since = Math.floor(Date.now() / 1000) - 1;
      const r = await sixgate([
        'run',
        '--mode',
        'dual-stack',
        ...cells.flatMap((c) => ['--cell', c]),
        ...reports(name),
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const created = await createdBy(r.pid, since, Math.ceil(Date.now() / 1000) + 1);
      return created.map((n) => n.replace(/^sixgate-[0-9a-f]+-/, '')).sort();
    };

    it('a cell on the agent host: the agent and its probe, no peer', async () => {
      expect(await names([LOOPBACK], 'no-peer')).toEqual(['wildcard', 'wildcard-probe']);
    }, 120_000);

    it('a cell from another host (no engine selected): the peer too', async () => {
      expect(await names(['peer.ula.bare'], 'peer')).toEqual([
        'peer',
        'wildcard',
        'wildcard-probe',
      ]);
    }, 120_000);
  },
);
