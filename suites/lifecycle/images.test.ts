// Checkouts in different folders share one image (its tag is a hash of what is in it, not of
// where it was built), and a prune never removes an image a run names, nor a young one.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerClient, PRUNE_GRACE_MS, pruneImages } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { ownerOf } from '../support/lifecycle.ts';
import { tarball } from '../support/tar.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The files a checkout of this working tree would hold: tracked, and new ones not ignored. */
function copyCheckout(to: string): void {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: repo,
      maxBuffer: 64 << 20,
    },
  )
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repo, f)));
  for (const f of new Set(listed)) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(repo, f), join(to, f));
  }
  symlinkSync(join(repo, 'node_modules'), join(to, 'node_modules'));
}

/**
 * The image tag a checkout computes, in its own process, as its `sixgate run` would. It never
 * builds: a copy computing another tag would build and prune on a shared daemon, so its build
 * is refused and the tag read from the refusal.
 */
async function tagIn(root: string): Promise<string> {
  const script = `const h = await import(${JSON.stringify(`${root}/harness/index.ts`)});
const docker = h.dockerClient();
docker.buildImage = () => Promise.reject(new Error('not built by this test'));
const tag = await h.ensureImage(docker).then((i) => i.tag, (err) => {
  const m = /docker build of (sixgate:\\w+) failed/.exec(err.message);
  if (!m) throw err;
  return m[1];
});
console.log(tag);`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, timeout: 120_000 },
  );
  return stdout.trim().split('\n').pop()!;
}

const status = (err: unknown) => (err as { statusCode?: number }).statusCode;
const exists = (docker: Docker, tag: string) =>
  docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      (err) => (status(err) === 404 ? false : Promise.reject(err as Error)),
    );

async function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) =>
      err ? reject(err) : resolve(res as never),
    ),
  );
  const failed = events.find((e) => e.error);
  if (failed) throw new Error(failed.error);
}

/**
 * A one-file image as sixgate labels its own, loaded with the creation time `created`: how an
 * image older than the prune's grace period is made without waiting an hour.
 */
async function loadImage(docker: Docker, tag: string, created: Date): Promise<void> {
  const layer = tarball([{ path: 'which', content: tag }]);
  const config = JSON.stringify({
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    os: 'linux',
    created: created.toISOString(),
    config: { Labels: { 'sixgate.image': '1' } },
    rootfs: {
      type: 'layers',
      diff_ids: [`sha256:${createHash('sha256').update(layer).digest('hex')}`],
    },
  });
  const archive = tarball([
    { path: 'config.json', content: config },
    { path: 'layer.tar', content: layer },
    {
      path: 'manifest.json',
      content: JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: ['layer.tar'] }]),
    },
  ]);
  await follow(docker, await docker.loadImage(Readable.from([archive])));
}

/** The same, built now from an in-memory context: younger than any grace period. */
async function buildImage(docker: Docker, tag: string): Promise<void> {
  const context = tarball([
    { path: 'Dockerfile', content: 'FROM scratch\nCOPY which /which\nLABEL sixgate.image="1"\n' },
    { path: 'which', content: tag },
  ]);
  await follow(docker, await docker.buildImage(Readable.from([context]), { t: tag }));
}

describe.skipIf(dockerReason)(dockerTitle('one image for every checkout, pruned safely'), () => {
  const docker = dockerClient();

  it('two checkouts in different folders compute the same image tag', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'sixgate-checkout-'));
    try {
      copyCheckout(copy);
      const [here, there] = await Promise.all([tagIn(repo), tagIn(copy)]);
      expect(here).toMatch(/^sixgate:[0-9a-f]{16}$/);
      expect(there).toBe(here);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 240_000);

  it('a prune removes an old unused image, never one a live run names, nor a young one', async () => {
    const tag = (name: string) => `sixgate:lifecycle-test-${name}-${process.pid}`;
    const [named, unused, young] = [tag('named'), tag('unused'), tag('young')];
    const old = new Date(Date.now() - 2 * PRUNE_GRACE_MS);
    const guards: Docker.Container[] = [];
    let network: Docker.Network | undefined;
    try {
      await Promise.all([
        loadImage(docker, named, old),
        loadImage(docker, unused, old),
        buildImage(docker, young),
      ]);
      // A live run (this process) names `named` on its network, as a run of another checkout
      // does between finding its image and creating its first container.
      network = await docker.createNetwork({
        Name: `sixgate-lifecycle-prune-${process.pid}`,
        Labels: {
          'sixgate.run': `lifecycle-prune-${process.pid}`,
          'sixgate.owner': ownerOf(process.pid),
          'sixgate.created': new Date().toISOString(),
          'sixgate.image-tag': named,
        },
      });
      // Other sixgate images on this shared daemon are not this test's to prune: each gets a
      // container (created, never started) that holds it for the duration.
      const ours = new Set([named, unused, young]);
      const others = (await docker.listImages({ filters: { label: ['sixgate.image=1'] } }))
        .flatMap((i) => i.RepoTags ?? [])
        .filter((t) => t.startsWith('sixgate:') && !ours.has(t));
      // (One removed meanwhile by its owner's own prune needs no guard.)
      for (const g of await Promise.all(
        others.map((t, i) =>
          docker
            .createContainer({
              name: `sixgate-lifecycle-guard-${process.pid}-${i}`,
              Image: t,
              HostConfig: { NetworkMode: 'none' },
            })
            .catch(() => undefined),
        ),
      ))
        if (g) guards.push(g);

      await pruneImages(docker, 'sixgate:lifecycle-test-none');

      expect({
        named: await exists(docker, named),
        unused: await exists(docker, unused),
        young: await exists(docker, young),
      }).toEqual({ named: true, unused: false, young: true });
    } finally {
      await Promise.all(guards.map((g) => g.remove({ force: true }).catch(() => undefined)));
      await network?.remove().catch(() => undefined);
      for (const t of [named, unused, young])
        await docker
          .getImage(t)
          .remove({ force: true })
          .catch(() => undefined);
    }
  }, 120_000);
});
