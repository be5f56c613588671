// Builds the sixgate image offline and tags it by a hash of everything inside it, so an
// unchanged image is found by tag and never rebuilt.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { LABEL_IMAGE } from '../topology/index.ts';
import { bundle } from './bundle.ts';
import { cachedDigest, rememberDigest } from './digest-cache.ts';
import { ImageBuildError } from './errors.ts';
import { availablePrograms, programPath } from './programs.ts';
import { hostNodeIsPortable, runtimeFiles } from './rootfs.ts';
import { tar, type TarEntry } from './tar.ts';

export const IMAGE_REPO = 'sixgate';

export interface BuiltImage {
  tag: string;
  /** False when an image with this content hash already existed. */
  built: boolean;
  programs: string[];
  /** `scratch` (host node) or the SIXGATE_BASE_IMAGE used instead. */
  base: string;
  elapsedMs: number;
}

async function baseLayer(): Promise<{
  base: string;
  files: Array<TarEntry & { from?: string }>;
  entrypoint: string;
  env: string[];
}> {
  const portable = await hostNodeIsPortable();
  if (portable.ok)
    return { base: 'scratch', files: await runtimeFiles(), entrypoint: '/usr/bin/node', env: [] };
  const base = process.env.SIXGATE_BASE_IMAGE;
  if (!base) {
    throw new ImageBuildError(
      `this host's node cannot run in a Linux container (${portable.why})`,
      undefined,
      'set SIXGATE_BASE_IMAGE to a local image that has `node` (20+) and `ip` on its PATH, e.g. a node:20 image with iproute2',
    );
  }
  return { base, files: [], entrypoint: 'node', env: ['SIXGATE_IP_BIN=ip'] };
}

function dockerfile(
  base: string,
  entrypoint: string,
  env: string[],
  hash: string,
  programs: string[],
): string {
  return [
    `FROM ${base}`,
    'COPY rootfs/ /',
    ...env.map((e) => `ENV ${e}`),
    `LABEL sixgate.image="1" sixgate.content="${hash}" sixgate.programs="${programs.join(',')}"`,
    `ENTRYPOINT ["${entrypoint}"]`,
    '',
  ].join('\n');
}

/** Whether the daemon has an image by this tag: how content-hashed tags skip a rebuild. */
export function imageExists(docker: Dockerode, tag: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

export async function waitBuild(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  const events = await new Promise<Array<{ error?: string; errorDetail?: { message?: string } }>>(
    (resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) =>
        err ? reject(err) : resolve(res as never),
      ),
  );
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) throw new Error(failed.errorDetail?.message ?? failed.error);
}

interface ImageContent {
  layer: Awaited<ReturnType<typeof baseLayer>>;
  files: Array<{ path: string; content: Buffer; mode: number }>;
  digest: string;
  names: string[];
}

async function imageContent(): Promise<ImageContent> {
  const layer = await baseLayer();
  const progs = availablePrograms();
  const files = layer.files.map(({ path, content, mode }) => ({ path, content, mode }));
  const sources = layer.files.flatMap((f) => (f.from ? [f.from] : []));
  for (const p of progs) {
    const b = await bundle(p.entry);
    files.push({ path: programPath(p.name), content: b.content, mode: 0o644 });
    sources.push(...b.inputs);
  }
  const hash = createHash('sha256');
  hash.update(layer.base);
  for (const f of files)
    hash.update(`${f.path}\0${f.mode}\0${f.content.length}\0`).update(f.content);
  const digest = hash.digest('hex').slice(0, 16);
  const names = progs.map((p) => p.name);
  await rememberDigest(digest, names, layer.base, sources);
  return { layer, files, digest, names };
}

/** The base an image would have: scratch with the host's node, or SIXGATE_BASE_IMAGE. */
async function baseName(): Promise<string> {
  return (await hostNodeIsPortable()).ok ? 'scratch' : (process.env.SIXGATE_BASE_IMAGE ?? '');
}

/** The digest alone: from the cache when no source changed, else by computing the content. */
async function currentDigest(): Promise<{ digest: string; names: string[]; base: string }> {
  const names = availablePrograms().map((p) => p.name);
  const base = await baseName();
  const cached = await cachedDigest(names, base);
  if (cached) return { digest: cached, names, base };
  const c = await loadContent();
  return { digest: c.digest, names: c.names, base: c.layer.base };
}

function loadContent(): Promise<ImageContent> {
  content ??= imageContent().catch((err: unknown) => {
    content = undefined;
    throw err;
  });
  return content;
}

// Sources do not change under a running process: hashing ~100 MB of node and libraries and
// bundling every program once per process is enough, however many topologies it starts.
let content: Promise<ImageContent> | undefined;
let digest: Promise<{ digest: string; names: string[]; base: string }> | undefined;

/** An image younger than this is never pruned: a run elsewhere may be about to use it. */
export const PRUNE_GRACE_MS = 60 * 60 * 1000;

/**
 * Removes sixgate images of other sources that nothing needs: no container (in any state) uses
 * it, no run on the daemon names it in its labels, and it is older than the grace period. A run
 * of another checkout that found its image but has not created a container yet has named it on
 * its network (and checks it again after), so it is never pulled from under that run.
 */
export async function pruneImages(
  docker: Dockerode,
  keep: string,
  graceMs = PRUNE_GRACE_MS,
): Promise<void> {
  const [images, containers, networks] = await Promise.all([
    docker.listImages({ filters: { label: ['sixgate.image=1'] } }),
    docker.listContainers({ all: true }),
    docker.listNetworks({ filters: { label: [LABEL_IMAGE] } }),
  ]);
  const inUse = new Set<string>([
    ...containers.flatMap((c) => [c.ImageID, c.Image, c.Labels?.[LABEL_IMAGE] ?? '']),
    ...networks.map((n) => n.Labels?.[LABEL_IMAGE] ?? ''),
  ]);
  const cutoff = (Date.now() - graceMs) / 1000;
  await Promise.all(
    images
      // Only sixgate's own tags: an image built FROM it (a vendor's) inherits its labels.
      .filter((i) => {
        const tags = i.RepoTags ?? [];
        return (
          !tags.includes(keep) &&
          tags.length > 0 &&
          tags.every((t) => t.startsWith(`${IMAGE_REPO}:`) && !inUse.has(t)) &&
          !inUse.has(i.Id) &&
          i.Created < cutoff
        );
      })
      .map((i) =>
        docker
          .getImage(i.Id)
          .remove()
          .catch(() => undefined),
      ),
  );
}

/** The tag the current sources make, without Docker: equal for two checkouts of the same sources. */
export async function imageTag(): Promise<string> {
  return `${IMAGE_REPO}:${(await (digest ??= currentDigest())).digest}`;
}

/** The image tag for the current sources, building it only when no image has that content. */
export async function ensureImage(docker: Dockerode): Promise<BuiltImage> {
  const start = Date.now();
  const known = await (digest ??= currentDigest().catch((err: unknown) => {
    digest = undefined;
    throw err;
  }));
  const tag = `${IMAGE_REPO}:${known.digest}`;
  const result = (built: boolean) => ({
    tag,
    built,
    programs: known.names,
    base: known.base,
    elapsedMs: Date.now() - start,
  });

  if (await imageExists(docker, tag)) return result(false);
  const { layer, files, names } = await loadContent();
  if (tag !== `${IMAGE_REPO}:${(await loadContent()).digest}`) {
    throw new ImageBuildError('the sources changed while sixgate ran; run it again');
  }

  const context = tar([
    {
      path: 'Dockerfile',
      content: Buffer.from(
        dockerfile(layer.base, layer.entrypoint, layer.env, known.digest, names),
      ),
      mode: 0o644,
    },
    ...files.map((f) => ({ ...f, path: `rootfs${f.path}` })),
  ]);
  try {
    await waitBuild(
      docker,
      await docker.buildImage(Readable.from([context]), { t: tag, forcerm: true }),
    );
  } catch (err) {
    throw new ImageBuildError(`docker build of ${tag} failed`, err);
  }
  await pruneImages(docker, tag);
  return result(true);
}
