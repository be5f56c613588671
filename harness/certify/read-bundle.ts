// Reads a bundle into memory — a folder or the .tar.gz certify wrote — and nothing else: no
// symlinks, devices or links, no path that leaves the bundle, and bounded in count, size and
// depth. An archive is never unpacked to disk, so a hostile one has nowhere to write.
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BUNDLE_LIMITS, BundleError, SAFE_PATH } from './bundle.ts';

type Files = Map<string, Buffer>;

function admit(files: Files, path: string, content: Buffer, where: string): void {
  if (!SAFE_PATH.test(path) || path.split('/').length > BUNDLE_LIMITS.depth)
    throw new BundleError(
      `${where}: '${path}' is not a bundle path (plain names, no '..', at most ${BUNDLE_LIMITS.depth} deep)`,
    );
  if (files.has(path)) throw new BundleError(`${where}: '${path}' appears twice`);
  if (files.size >= BUNDLE_LIMITS.files)
    throw new BundleError(`${where}: more than ${BUNDLE_LIMITS.files} files`);
  if (content.length > BUNDLE_LIMITS.fileBytes)
    throw new BundleError(`${where}: '${path}' is larger than ${BUNDLE_LIMITS.fileBytes} bytes`);
  let total = content.length;
  for (const b of files.values()) total += b.length;
  if (total > BUNDLE_LIMITS.totalBytes)
    throw new BundleError(`${where}: more than ${BUNDLE_LIMITS.totalBytes} bytes in all`);
  files.set(path, content);
}

/** At most `limit` bytes of a regular file, read from the descriptor that was checked. */
async function readRegular(file: string, limit: number): Promise<Buffer> {
  // No following a link swapped in after the walk, and no blocking on a FIFO.
  const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new BundleError(`${file} is not a regular file`);
    if (st.size > limit) throw new BundleError(`${file} is larger than ${limit} bytes`);
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await fh.read(buf, 0, st.size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function readFolder(root: string): Promise<Files> {
  const files: Files = new Map();
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > BUNDLE_LIMITS.depth)
      throw new BundleError(`${root}: folders nest deeper than ${BUNDLE_LIMITS.depth}`);
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    if (entries.length > BUNDLE_LIMITS.files)
      throw new BundleError(`${root}: more than ${BUNDLE_LIMITS.files} files`);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path, depth + 1);
      else if (e.isFile())
        admit(files, path, await readRegular(join(root, path), BUNDLE_LIMITS.fileBytes), root);
      else
        throw new BundleError(
          `${root}: '${path}' is ${e.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a bundle holds only files`,
        );
    }
  };
  await walk('', 1);
  return files;
}

const cstring = (b: Buffer) => {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
};

/** A tar's members, files only: directories are implied, anything else refuses the archive. */
function untar(tarball: Buffer, where: string): Array<{ path: string; content: Buffer }> {
  const out: Array<{ path: string; content: Buffer }> = [];
  let at = 0;
  let paxPath: string | undefined;
  while (at + 512 <= tarball.length) {
    const h = tarball.subarray(at, at + 512);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    const size = parseInt(cstring(h.subarray(124, 136)).trim() || 'x', 8);
    if (
      sum !== parseInt(cstring(h.subarray(148, 156)).trim() || 'x', 8) ||
      !Number.isSafeInteger(size)
    )
      throw new BundleError(`${where}: a tar header at byte ${at} is corrupt`);
    const start = at + 512;
    at = start + size + ((512 - (size % 512)) % 512);
    if (start + size > tarball.length) throw new BundleError(`${where}: an entry is cut short`);
    const content = tarball.subarray(start, start + size);
    const type = String.fromCharCode(h[156]!);
    // POSIX ustar keeps a path prefix at 345; GNU tar's format (magic `ustar  `) keeps times there.
    const posix = h.subarray(257, 263).toString('latin1') === 'ustar\0';
    const prefix = posix ? cstring(h.subarray(345, 500)) : '';
    const path = paxPath ?? (prefix ? `${prefix}/` : '') + cstring(h.subarray(0, 100));
    paxPath = undefined;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString('utf8'))?.[1];
      continue;
    }
    if (type === '5') continue;
    if (type !== '0' && type !== '\0')
      throw new BundleError(
        `${where}: '${path}' is ${type === '2' ? 'a symbolic link' : type === '1' ? 'a hard link' : `of tar type '${type}'`}; a bundle holds only files`,
      );
    out.push({ path, content });
  }
  throw new BundleError(`${where}: the archive has no end-of-archive marker`);
}

/** The archive's files under the one top folder certify put them in (or none), bounded. */
async function readArchive(file: string): Promise<Files> {
  const gz = await readRegular(file, BUNDLE_LIMITS.totalBytes);
  let raw: Buffer;
  try {
    // Tar adds a header per file and padding: room for that, and no more, when inflating.
    raw = gunzipSync(gz, {
      maxOutputLength: BUNDLE_LIMITS.totalBytes + 1024 * BUNDLE_LIMITS.files,
    });
  } catch (err) {
    throw new BundleError(`${file}: not a gzip archive within ${BUNDLE_LIMITS.totalBytes} bytes`, {
      cause: err,
    });
  }
  const members = untar(raw, file);
  const tops = new Set(members.map((m) => (m.path.includes('/') ? m.path.split('/')[0] : '')));
  const top = tops.size === 1 ? [...tops][0]! : '';
  const strip = SAFE_PATH.test(top) && !top.includes('/') ? top.length + 1 : 0;
  const files: Files = new Map();
  for (const m of members) admit(files, m.path.slice(strip), Buffer.from(m.content), file);
  return files;
}

/** A bundle folder or `.tar.gz`, as path → bytes; BundleError (exit 2) when it is neither. */
export async function readBundle(path: string): Promise<Files> {
  const st = await stat(path).catch((err: unknown) => {
    throw new BundleError(`${path}: cannot be read (${(err as Error).message})`, { cause: err });
  });
  if (st.isDirectory()) return readFolder(path);
  if (st.isFile() && /\.(tar\.gz|tgz)$/.test(path)) return readArchive(path);
  throw new BundleError(`${path}: neither a bundle folder nor a .tar.gz`);
}
