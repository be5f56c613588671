// A copy of a kept run's record on this machine, for `sixgate run --on`: reading the record out
// of the peer container is an archive request that Docker 20.10 answers in ~150 ms (it mounts
// the container's filesystem), a third of the whole command's time. The container stays the
// record's home; this copy is only believed for the same run in the same peer container (its
// full id), so a stale or foreign file is never mistaken for it. It holds the run's client key:
// a private directory of this user's (0700, checked, never followed through a link), files 0600.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from './attach.ts';

const MAX_BYTES = 2 << 20;

function base(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  return env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'sixgate-runs')
    : join(tmpdir(), `sixgate-runs-${uid}`);
}

/** The directory, when it is ours alone; undefined (no cache) otherwise. */
async function privateDir(create: boolean): Promise<string | undefined> {
  const dir = base();
  if (create) await mkdir(dir, { mode: 0o700 }).catch(() => undefined);
  const s = await lstat(dir).catch(() => undefined);
  const uid = process.getuid?.();
  if (!s?.isDirectory() || (uid !== undefined && s.uid !== uid) || (s.mode & 0o077) !== 0)
    return undefined;
  return dir;
}

const fileOf = (dir: string, runId: string) => join(dir, `${runId}.json`);

/** Remembers the record a kept run just wrote into `peerId`. Best effort: a miss costs ~150 ms. */
export async function saveRecordCopy(record: RunRecord, peerId: string): Promise<void> {
  try {
    const dir = await privateDir(true);
    if (!dir) return;
    const tmp = join(dir, `.${record.runId}.${randomBytes(4).toString('hex')}`);
    await writeFile(tmp, JSON.stringify({ peerId, record }), { mode: 0o600, flag: 'wx' });
    await rename(tmp, fileOf(dir, record.runId));
  } catch {
    // No copy: `run --on` reads the container's.
  }
}

/** The copy for run `runId` whose peer container is `peerId`; undefined when there is none. */
export async function readRecordCopy(
  runId: string,
  peerId: string,
): Promise<RunRecord | undefined> {
  const dir = await privateDir(false);
  if (!dir) return undefined;
  const file = fileOf(dir, runId);
  try {
    // A link or a FIFO planted in place of the file is not followed, nor waited on.
    const fh = await open(
      file,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    ).catch(() => undefined);
    if (!fh) return undefined;
    let text: string;
    try {
      const s = await fh.stat();
      if (!s.isFile() || s.size > MAX_BYTES || s.uid !== process.getuid?.()) return undefined;
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
    const { peerId: forPeer, record } = JSON.parse(text) as {
      peerId?: string;
      record?: RunRecord;
    };
    if (forPeer === peerId && record?.runId === runId && record.version === 1) return record;
    // Another run of that id, since removed: the copy is of nothing.
    await rm(file, { force: true });
    return undefined;
  } catch {
    return undefined;
  }
}

/** Forgets run `runId`'s copy (its containers are being removed). */
export async function dropRecordCopy(runId: string): Promise<void> {
  const dir = await privateDir(false);
  if (dir) await rm(fileOf(dir, runId), { force: true }).catch(() => undefined);
}
