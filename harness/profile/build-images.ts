// A profile's images on the daemon. An `image` must already be there (sixgate never pulls); a
// build context is built here, offline, and tagged by the context's content hash, so an unchanged
// context is never rebuilt.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { ConfigError } from '../errors/index.ts';
import { imageExists, waitBuild } from '../images/build.ts';
import { ImageBuildError } from '../images/errors.ts';
import { tar, type TarEntry } from '../images/tar.ts';
import { PROFILE_HINT } from './load-profile.ts';
import type { Profile } from './profile.ts';

/** A build context is sent to the daemon from memory: a larger one is refused. */
const CONTEXT_MAX_BYTES = 512 * 2 ** 20;

function contextFiles(dir: string, refuse: (why: string) => never): TarEntry[] {
  const files: TarEntry[] = [];
  let total = 0;
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        // A link to a parent directory would never end.
        if (lstatSync(path).isSymbolicLink()) {
          refuse(`has a symbolic link to a directory, which sixgate does not follow: ${path}`);
        }
        walk(path);
      } else if (st.isFile()) {
        total += st.size;
        if (total > CONTEXT_MAX_BYTES) {
          refuse(`names a build context larger than ${CONTEXT_MAX_BYTES} bytes: ${dir}`);
        }
        files.push({
          path: relative(dir, path),
          content: readFileSync(path),
          mode: st.mode & 0o777,
        });
      }
    }
  };
  walk(dir);
  return files;
}

async function buildContext(
  docker: Dockerode,
  file: string,
  field: string,
  context: string,
  repo: string,
): Promise<string> {
  const dir = isAbsolute(context) ? context : resolve(file, '..', context);
  const refuse: (rule: string) => never = (rule) => {
    throw new ConfigError(file, field, rule, { hint: PROFILE_HINT });
  };
  let files: TarEntry[];
  try {
    files = contextFiles(dir, refuse);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    refuse(`names a build context that cannot be read: ${(err as Error).message}`);
  }
  if (!files.some((f) => f.path === 'Dockerfile')) {
    refuse(`names a build context without a Dockerfile: ${dir}`);
  }
  const hash = createHash('sha256');
  for (const f of files)
    hash.update(`${f.path}\0${f.mode}\0${f.content.length}\0`).update(f.content);
  const tag = `${repo}:${hash.digest('hex').slice(0, 16)}`;
  if (await imageExists(docker, tag)) return tag;
  try {
    await waitBuild(
      docker,
      await docker.buildImage(Readable.from([tar(files)]), {
        t: tag,
        forcerm: true,
        labels: { 'sixgate.profile-build': '1' },
      }),
    );
  } catch (err) {
    throw new ImageBuildError(`docker build of ${field} (${dir}) failed`, err);
  }
  return tag;
}

/**
 * Refuses a profile naming an image the daemon does not have: a ConfigError (exit 2) before
 * anything is created, where a missing image would otherwise fail every cell later.
 */
export async function checkProfileImages(
  docker: Dockerode,
  profile: Profile,
  file: string,
): Promise<void> {
  for (const part of ['agent', 'engine'] as const) {
    const image = profile[part]?.image;
    if (image === undefined) continue;
    try {
      await docker.getImage(image).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      throw new ConfigError(
        file,
        `${part}.image`,
        `must name an image the Docker daemon has (sixgate never pulls); there is no '${image}': build, pull or load it first`,
        { hint: PROFILE_HINT },
      );
    }
  }
}

/**
 * The profile with every `build` replaced by the image built from it, once its named images
 * are known to exist (checkProfileImages).
 */
export async function buildProfileImages(
  docker: Dockerode,
  profile: Profile,
  file: string,
): Promise<Profile> {
  await checkProfileImages(docker, profile, file);
  const out: Profile = { ...profile };
  if (profile.agent?.build) {
    const image = await buildContext(
      docker,
      file,
      'agent.build',
      profile.agent.build,
      `sixgate-profile/${profile.name}-agent`,
    );
    out.agent = { ...profile.agent, build: undefined, image };
  }
  if (profile.engine?.build) {
    const image = await buildContext(
      docker,
      file,
      'engine.build',
      profile.engine.build,
      `sixgate-profile/${profile.name}-engine`,
    );
    out.engine = { ...profile.engine, build: undefined, image };
  }
  return out;
}
