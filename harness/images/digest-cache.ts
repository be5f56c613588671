// Remembers the image digest of the last full computation beside the files it was made from
// (path, size, mtime, inode): a new process then pays a `stat` of each, not a hash of ~100 MB of
// node and libraries and two dozen bundles. Any mismatch, missing file or unreadable cache means
// computing it again; the cache can only be stale if a file changes keeping size, mtime and inode.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(
  fileURLToPath(new URL('../../', import.meta.url)),
  '.cache',
  'image-digest.json',
);
/** A cache larger than this is not ours to trust (or read whole). */
const CACHE_MAX_BYTES = 1 << 20;

type Stamp = [path: string, size: number, mtimeMs: number, ino: number];

export interface DigestRecord {
  digest: string;
  /** The programs and base it was computed for: a different set is a different image. */
  names: string[];
  base: string;
  sources: Stamp[];
}

async function stamp(path: string): Promise<Stamp> {
  const s = await stat(path);
  return [path, s.size, s.mtimeMs, s.ino];
}

/** The remembered digest, when every source is as it was and the programs and base match. */
export async function cachedDigest(names: string[], base: string): Promise<string | undefined> {
  try {
    const text = await readFile(CACHE, 'utf8');
    if (text.length > CACHE_MAX_BYTES) return undefined;
    const rec = JSON.parse(text) as DigestRecord;
    if (rec.base !== base || rec.names.join(',') !== names.join(',')) return undefined;
    const now = await Promise.all(rec.sources.map(([p]) => stamp(p)));
    const same = now.every((s, i) => s.join('\0') === rec.sources[i]!.join('\0'));
    return same ? rec.digest : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the record atomically; a cache that cannot be written only costs the next process. */
export async function rememberDigest(
  digest: string,
  names: string[],
  base: string,
  sources: string[],
): Promise<void> {
  try {
    const rec: DigestRecord = {
      digest,
      names,
      base,
      sources: await Promise.all([...new Set(sources)].sort().map(stamp)),
    };
    await mkdir(join(CACHE, '..'), { recursive: true });
    const tmp = `${CACHE}.${process.pid}`;
    await writeFile(tmp, JSON.stringify(rec));
    await rename(tmp, CACHE);
  } catch {
    // Read-only checkout: every process hashes, as before.
  }
}
