// The certification bundle's layout, its manifest, and how certify writes it: a folder and a
// `.tar.gz` of that folder with the same bytes. The tar is deterministic (paths sorted, mtime 0,
// root-owned, fixed modes), so the same folder always gives the same archive.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SixgateError } from '../errors/index.ts';
import { tar } from '../images/tar.ts';

export const MANIFEST = 'MANIFEST.sha256';

/** What every bundle holds besides the logs (`logs/<container>.log`) and the manifest. */
export const BUNDLE_FILES = {
  results: 'results.json',
  junit: 'junit.xml',
  tap: 'results.tap',
  html: 'matrix.html',
  profile: 'profile.json',
  environment: 'environment.json',
} as const;

/** Bounds on what verify reads, and on what certify writes of each container's log. */
export const BUNDLE_LIMITS = {
  files: 2048,
  fileBytes: 64 << 20,
  totalBytes: 256 << 20,
  depth: 4,
  logBytes: 1 << 20,
} as const;

/** A bundle that cannot be read as one (exit 2): nothing about a verdict can be said. */
export class BundleError extends SixgateError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SIXGATE_NOT_A_BUNDLE', message, {
      ...options,
      exitCode: 2,
      hint: "a bundle is the folder or .tar.gz 'sixgate certify' wrote (see docs/certify.md)",
    });
  }
}

/** A bundle's relative paths: plain segments of `A-Za-z0-9._-`, none `.` or `..`, no leading dot. */
export const SAFE_PATH =
  /^(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** `sha256sum -c` input: `<hex>  <path>` per file, sorted by path; the manifest lists itself never. */
export function renderManifest(files: ReadonlyMap<string, Buffer>): string {
  return [...files.keys()]
    .filter((p) => p !== MANIFEST)
    .sort()
    .map((p) => `${sha256(files.get(p)!)}  ${p}\n`)
    .join('');
}

export interface ManifestEntry {
  path: string;
  sha256: string;
}

/** The manifest's entries and the lines that are not `<64 hex>  <safe path>`. */
export function parseManifest(text: string): { entries: ManifestEntry[]; bad: number[] } {
  const entries: ManifestEntry[] = [];
  const bad: number[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (m && SAFE_PATH.test(m[2]!)) entries.push({ sha256: m[1]!, path: m[2]! });
    else bad.push(i + 1);
  });
  return { entries, bad };
}

/**
 * Log file names for the run's `<mode>/<host>` keys: `logs/<mode>/<host>.log`, each segment of
 * safe characters only, never two the same.
 */
export function logFileNames(keys: Iterable<string>): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._]+/, '') || 'host';
  for (const key of [...keys].sort()) {
    const stem = `logs/${key.split('/').slice(0, 2).map(safe).join('/')}`;
    let name = `${stem}.log`;
    for (let n = 2; taken.has(name); n++) name = `${stem}-${n}.log`;
    taken.add(name);
    names.set(key, name);
  }
  return names;
}

/**
 * Writes the folder (which must not exist yet), its manifest, and `<folder>.tar.gz` holding the
 * folder under its own name. Returns the archive's path.
 */
export async function writeBundle(
  dir: string,
  files: ReadonlyMap<string, Buffer>,
): Promise<string> {
  const all = new Map(files);
  all.set(MANIFEST, Buffer.from(renderManifest(files)));
  const paths = [...all.keys()].sort();
  for (const p of paths) {
    if (!SAFE_PATH.test(p)) throw new BundleError(`internal: unsafe bundle path '${p}'`);
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), all.get(p)!, { flag: 'wx' });
  }
  const top = basename(dir);
  const archive = `${dir.replace(/\/+$/, '')}.tar.gz`;
  const entries = paths.map((p) => ({ path: `${top}/${p}`, mode: 0o644, content: all.get(p)! }));
  await writeFile(archive, gzipSync(tar(entries, { parents: true }), { level: 9 }), { flag: 'wx' });
  return archive;
}
