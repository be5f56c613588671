// The files sixgate writes into a container before it starts (config, keys) belong to the user
// the image runs as: a vendor image need not run as root, and a key stays 0600. That user is
// resolved as Docker (runc) resolves `USER` — `uid`, `uid:gid`, `name`, `name:group` — from the
// created container's own /etc/passwd and /etc/group.
// Docker's `copyUIDGID` cannot do it: on 20.10 it looks the user up in the daemon host's passwd
// database (a numeric uid fails there), and it would chown existing directories such as /etc.
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { SixgateError } from '../../errors/index.ts';
import { firstMember, tar, type TarDir, type TarEntry } from '../../images/tar.ts';

/** The image runs as a user its own account files do not name, or cannot be read for it. */
export class ImageUserError extends SixgateError {
  constructor(image: string, message: string, hint?: string) {
    super('SIXGATE_IMAGE_USER', `image ${image}: ${message}`, {
      hint:
        hint ??
        "add the user to the image's /etc/passwd (and the group to /etc/group), or give USER as numbers: uid or uid:gid",
    });
  }
}

export interface Owner {
  uid: number;
  gid: number;
}

/** runc's range for ids. */
const ID_MAX = 2 ** 31 - 1;
/** Account files larger than this are refused, not read. */
export const ACCOUNT_FILE_LIMIT = 1 << 20;
const MAX_LINKS = 4;

const numeric = (s: string): number | undefined => (/^\d{1,15}$/.test(s) ? Number(s) : undefined);

interface Account {
  name: string;
  id: number;
  gid: number;
}

/** passwd (`name:x:uid:gid:…`) or group (`name:x:gid:…`) lines; malformed ones are skipped. */
function accounts(text: string, kind: 'passwd' | 'group'): Account[] {
  const out: Account[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f.length < 3 || f[0] === '' || f[0]!.startsWith('#')) continue;
    const id = numeric(f[2]!);
    const gid = kind === 'passwd' ? numeric(f[3] ?? '') : id;
    if (id !== undefined && gid !== undefined) out.push({ name: f[0]!, id, gid });
  }
  return out;
}

const READ_HINT = `sixgate reads /etc/passwd and /etc/group (at most ${ACCOUNT_FILE_LIMIT} bytes each, through at most ${MAX_LINKS} symbolic links) to resolve a USER given by name`;

const tooLarge = (image: string, path: string) =>
  new ImageUserError(
    image,
    `${path} is larger than the ${ACCOUNT_FILE_LIMIT} bytes sixgate reads to resolve USER`,
    READ_HINT,
  );

/** A container file's text, following symlinks; undefined when it does not exist. */
async function readFile(
  container: Docker.Container,
  image: string,
  path: string,
): Promise<string | undefined> {
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await container.getArchive({ path });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    // The file, a header or two and tar's padding.
    const bound = ACCOUNT_FILE_LIMIT + 8192;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Leaving the loop destroys the stream: the rest is never read.
      if (size > bound) throw tooLarge(image, path);
      chunks.push(chunk);
    }
    const member = firstMember(Buffer.concat(chunks));
    if (member.kind === 'file') {
      if (member.content.length > ACCOUNT_FILE_LIMIT) throw tooLarge(image, path);
      return member.content.toString('utf8');
    }
    if (member.kind !== 'symlink') {
      throw new ImageUserError(image, `${path} is not a regular file`, READ_HINT);
    }
    path = posix.resolve(posix.dirname(path), member.link);
  }
  throw new ImageUserError(image, `${path}: more than ${MAX_LINKS} symbolic links`, READ_HINT);
}

function checkRange(image: string, spec: string, id: number): number {
  if (id > ID_MAX) {
    throw new ImageUserError(image, `USER "${spec}": ids must be 0 to ${ID_MAX}`);
  }
  return id;
}

/**
 * The uid and gid a created (not yet started) container runs as: its `Config.User`, which is the
 * image's `USER` unless the create call set one. A name is looked up in the container's files.
 */
export async function containerOwner(container: Docker.Container, image: string): Promise<Owner> {
  const spec = (await container.inspect()).Config.User ?? '';
  if (spec === '') return { uid: 0, gid: 0 };
  const colon = spec.indexOf(':');
  const user = colon === -1 ? spec : spec.slice(0, colon);
  const group = colon === -1 ? undefined : spec.slice(colon + 1);

  let uid = 0;
  let gid = 0;
  const uidNumber = numeric(user);
  // A user given by number still takes its primary group from passwd, as Docker does.
  if (user !== '' && (uidNumber === undefined || group === undefined)) {
    const passwd = await readFile(container, image, '/etc/passwd');
    const found = accounts(passwd ?? '', 'passwd').find(
      (a) => a.name === user || a.id === uidNumber,
    );
    if (found) {
      uid = found.id;
      gid = found.gid;
    } else if (uidNumber !== undefined) {
      uid = uidNumber;
    } else {
      throw new ImageUserError(
        image,
        passwd === undefined
          ? `runs as USER "${spec}", but has no /etc/passwd to find user "${user}" in`
          : `runs as USER "${spec}", but its /etc/passwd has no user "${user}"`,
      );
    }
  } else if (uidNumber !== undefined) {
    uid = uidNumber;
  }
  if (group !== undefined && group !== '') {
    const gidNumber = numeric(group);
    if (gidNumber !== undefined) {
      gid = gidNumber;
    } else {
      const groups = await readFile(container, image, '/etc/group');
      const found = accounts(groups ?? '', 'group').find((a) => a.name === group);
      if (!found) {
        throw new ImageUserError(
          image,
          groups === undefined
            ? `runs as USER "${spec}", but has no /etc/group to find group "${group}" in`
            : `runs as USER "${spec}", but its /etc/group has no group "${group}"`,
        );
      }
      gid = found.id;
    }
  }
  return { uid: checkRange(image, spec, uid), gid: checkRange(image, spec, gid) };
}

async function exists(container: Docker.Container, path: string): Promise<boolean> {
  try {
    const res = (await container.infoArchive({ path })) as NodeJS.ReadableStream;
    res.resume();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/**
 * The directories above `paths` that the container lacks, parents first. Existing ones get no
 * tar entry: Docker would apply the entry's owner and mode to them (to /etc itself).
 */
async function missingDirs(container: Docker.Container, paths: string[]): Promise<string[]> {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let d = posix.dirname(posix.resolve('/', p)); d !== '/'; d = posix.dirname(d)) dirs.add(d);
  }
  const missing = new Set<string>();
  for (const d of [...dirs].sort((a, b) => a.split('/').length - b.split('/').length)) {
    if (missing.has(posix.dirname(d)) || !(await exists(container, d))) missing.add(d);
  }
  return [...missing];
}

export interface ContainerFile {
  path: string;
  content: string;
  /** @default 0o644 */
  mode?: number;
}

/**
 * Writes files into a created container, owned by the user it will run as; directories the
 * archive creates are 0755 and that user's, so it can reach its files.
 */
export async function putFiles(
  container: Docker.Container,
  image: string,
  files: ContainerFile[],
): Promise<void> {
  const owner = await containerOwner(container, image);
  const root = owner.uid === 0 && owner.gid === 0;
  // Docker creates a missing parent as root's, 0755: enough for root, who needs no entries.
  const dirs: TarDir[] = root
    ? []
    : (
        await missingDirs(
          container,
          files.map((f) => f.path),
        )
      ).map((path) => ({
        path,
        dir: true,
        mode: 0o755,
        ...owner,
      }));
  const entries: TarEntry[] = files.map((f) => ({
    path: f.path,
    content: Buffer.from(f.content),
    mode: f.mode ?? 0o644,
    ...owner,
  }));
  await container.putArchive(tar([...dirs, ...entries], { parents: false }), { path: '/' });
}
