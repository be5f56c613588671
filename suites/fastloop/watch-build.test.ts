// `up --watch` with a profile whose agent is built from a build context: a change inside the
// context rebuilds the image and replaces the run (a new id, the old run's containers and network
// gone, the cells rerun on the new one); changes made while that is going are not lost, and
// collapse into one more replacement. Ctrl-C ends it with the newest run still kept.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient, ensureImage, LABEL_RUN, listRuns, removeRun } from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { removeOwned, spawnSixgate } from '../support/lifecycle.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-watch-build-'));
const docker = dockerClient();
const LOOPBACK = 'local.loopback.bracketed';
const name = `watch-build-${process.pid}`;
const context = join(dir, 'agent');
/** The file a vendor edits: inside the context, one folder down (the watch is recursive). */
const source = join(context, 'src', 'version.txt');
const profileFile = join(dir, 'profile.json');

const ours = new Set<string>();
const upPids: number[] = [];
afterAll(async () => {
  for (const r of await listRuns(docker)) if (ours.has(r.runId)) await removeRun(docker, r);
  await removeOwned(docker, upPids);
  const images = await docker.listImages({ filters: { label: ['sixgate.profile-build=1'] } });
  for (const i of images)
    if ((i.RepoTags ?? []).some((t) => t.startsWith(`sixgate-profile/${name}-agent:`)))
      await docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** Every run id `up` printed, in order. */
const runIdsIn = (stdout: string) =>
  [...stdout.matchAll(/^sixgate run ([0-9a-f]+) \(docker, dual-stack/gm)].map((m) => m[1]!);
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** What the run's profile agent has at `path`: read from its container's file system. */
async function agentFile(runId: string, path: string): Promise<string> {
  const [agent] = (
    await docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${LABEL_RUN}=${runId}`, 'sixgate.role=agent'] }),
    })
  ).filter((c) => c.Image.startsWith(`sixgate-profile/${name}-agent:`));
  expect(agent, `run ${runId} has a container of the profile's agent image`).toBeDefined();
  const stream = await docker.getContainer(agent!.Id).getArchive({ path });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  // One regular file: a 512-byte header (its size in octal at 124), then the content.
  const tar = Buffer.concat(chunks);
  const size = parseInt(tar.subarray(124, 136).toString().replace(/\0.*$/, ''), 8);
  return tar.subarray(512, 512 + size).toString();
}

describe.skipIf(dockerReason)(dockerTitle('up --watch on a build context'), () => {
  beforeAll(async () => {
    const base = (await ensureImage(docker)).tag;
    mkdirSync(join(context, 'src'), { recursive: true });
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nCOPY src/ /opt/vendor/\nCMD ["/sixgate/agent.mjs"]\n`,
    );
    writeFileSync(source, 'one\n');
    writeFileSync(profileFile, JSON.stringify({ name, agent: { build: './agent' } }));
  }, 120_000);

  it('a context change rebuilds the image and replaces the run; changes during it are not lost', async () => {
    const up = spawnSixgate(['up', '--profile', profileFile, '--cell', LOOPBACK, '--watch']);
    upPids.push(up.pid);
    const out = () => up.stdout();
    try {
      const until = async (ok: (stdout: string) => boolean) => {
        while (!ok(out())) {
          const ended = await Promise.race([
            up.exited.then(() => true),
            new Promise((r) => setTimeout(() => r(false), 200)),
          ]);
          if (ended) throw new Error(`up ended early:\n${out()}\n${up.stderr()}`);
        }
      };
      /** The cell passed on `runId` after the `n`th context change. */
      const passedOn = (n: number, runId: () => string | undefined) => (s: string) => {
        const after = s.split(`${source} changed: rebuilding and replacing the run`)[n];
        const id = runId();
        return (
          id !== undefined &&
          after !== undefined &&
          new RegExp(
            `${source} changed: running the cells on run ${id}\\n[\\s\\S]*pass +dual-stack local\\.loopback\\.bracketed `,
          ).test(after)
        );
      };

      await until((s) => /watching /.test(s));
      const [first] = runIdsIn(out());
      expect(first, out()).toBeDefined();
      ours.add(first!);
      expect(out()).toContain(`watching ${context} (Ctrl-C ends`);
      expect(out()).toMatch(
        new RegExp(`started: running the cells on run ${first}\\n[\\s\\S]*pass +dual-stack local`),
      );
      expect(await agentFile(first!, '/opt/vendor/version.txt')).toBe('one\n');

      // One change inside the context: a new image, a new run, the old one gone.
      writeFileSync(source, 'two\n');
      await until(passedOn(1, () => runIdsIn(out())[1]));
      const second = runIdsIn(out())[1]!;
      ours.add(second);
      expect(second).not.toBe(first);
      expect(count(out(), 'rebuilding and replacing the run')).toBe(1);
      expect(out()).toContain(`down ${second}\n`);
      const afterOne = new Set((await listRuns(docker)).map((r) => r.runId));
      expect(afterOne.has(first!), `run ${first} is removed`).toBe(false);
      expect(afterOne.has(second)).toBe(true);
      expect(await agentFile(second, '/opt/vendor/version.txt')).toBe('two\n');

      // A change starts a replacement; two more arrive while it goes: one more follows, built
      // from the last of them.
      writeFileSync(source, 'three\n');
      await until((s) => count(s, 'rebuilding and replacing the run') === 2);
      writeFileSync(source, 'four\n');
      writeFileSync(source, 'five\n');
      await until(passedOn(3, () => runIdsIn(out())[3]));
      const [, , third, fourth] = runIdsIn(out());
      for (const id of [third!, fourth!]) ours.add(id);
      expect(new Set([first, second, third, fourth]).size).toBe(4);
      expect(await agentFile(fourth!, '/opt/vendor/version.txt')).toBe('five\n');

      // A rerun that goes wrong says so on stderr and the watch goes on: nothing went wrong.
      expect(up.stderr()).toBe('');
      up.child.kill('SIGINT');
      // The run owner ends the process by the signal itself: a shell sees 130.
      expect(await up.exited).toEqual({ code: null, signal: 'SIGINT' });
      expect(count(out(), 'rebuilding and replacing the run')).toBe(3);
      expect(runIdsIn(out())).toEqual([first, second, third, fourth]);
      const left = (await listRuns(docker)).filter((r) => ours.has(r.runId));
      expect(left.map((r) => r.runId)).toEqual([fourth]);
      expect(left[0]!.keptAt).toBeDefined();

      const down = await sixgate(['down', fourth!]);
      expect(down.code, down.stderr).toBe(0);
      expect((await listRuns(docker)).some((r) => r.runId === fourth)).toBe(false);
    } finally {
      if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    }
  }, 600_000);
});
