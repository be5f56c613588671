// A profile may name a build context instead of an image: sixgate builds it here, offline, and
// tags it by the context's content hash, so an unchanged context is never rebuilt.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { ConfigError } from '../errors/index.ts';
import { imageExists, waitBuild } from '../images/build.ts';
import { ImageBuildError } from '../images/errors.ts';
import { tar, type TarEntry } from '../images/tar.ts';
import type { Profile } from './profile.ts';

function contextFiles(dir: string): TarEntry[] {
  const files: TarEntry[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) {
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
  let files: TarEntry[];
  try {
    files = contextFiles(dir);
  } catch (err) {
    throw new ConfigError(
      file,
      field,
      `names a build context that cannot be read: ${(err as Error).message}`,
    );
  }
  if (!files.some((f) => f.path === 'Dockerfile')) {
    throw new ConfigError(file, field, `names a build context without a Dockerfile: ${dir}`);
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

/** The profile with every `build` replaced by the image built from it. */
export async function buildProfileImages(
  docker: Dockerode,
  profile: Profile,
  file: string,
): Promise<Profile> {
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
