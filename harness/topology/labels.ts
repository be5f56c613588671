// Ownership labels on everything sixgate creates in Docker: the run, the process that owns it
// (pid@host#start, so a reused pid is not taken for the owner), when, and whether the user asked
// to keep it. Cleanup trusts only these labels.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export const LABEL_RUN = 'sixgate.run';
export const LABEL_OWNER = 'sixgate.owner';
export const LABEL_CREATED = 'sixgate.created';
/** Present on a run started with --keep (or `sixgate up`): its time; no sweep touches it. */
export const LABEL_KEPT = 'sixgate.kept';
/** The sixgate image a run's containers use: a prune never removes an image a run names. */
export const LABEL_IMAGE = 'sixgate.image-tag';

/** Field 22 of /proc/<pid>/stat: the process start time in clock ticks since boot. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: string | undefined;
/** This process as an owner label value. */
export function ownerLabel(pid = process.pid): string {
  if (pid === process.pid && self) return self;
  const start = startTime(pid);
  const value = `${pid}@${hostname()}${start ? `#${start}` : ''}`;
  if (pid === process.pid) self = value;
  return value;
}

export interface LabelOptions {
  pid?: number;
  /** When the run was kept (`--keep`). */
  keptAt?: Date;
}

export function runLabels(runId: string, o: LabelOptions = {}): Record<string, string> {
  return {
    [LABEL_RUN]: runId,
    [LABEL_OWNER]: ownerLabel(o.pid),
    [LABEL_CREATED]: new Date().toISOString(),
    ...(o.keptAt ? { [LABEL_KEPT]: o.keptAt.toISOString() } : {}),
  };
}

/**
 * Whether the owner of a resource is gone: its pid no longer exists on this host, or it is a
 * different process that reused the pid. Resources owned by another host are never judged dead
 * from here.
 */
export function ownerIsDead(owner: string | undefined): boolean {
  const m = /^(\d+)@([^#]+)(?:#(\d+))?$/.exec(owner ?? '');
  if (!m || m[2] !== hostname()) return false;
  const pid = Number(m[1]);
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return m[3] !== undefined && startTime(pid) !== undefined && startTime(pid) !== m[3];
}
