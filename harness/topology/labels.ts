// Ownership labels on everything sixgate creates in Docker: the run, the process that owns it
// (pid@host) and when. Cleanup trusts only these labels.
import { hostname } from 'node:os';

export const LABEL_RUN = 'sixgate.run';
export const LABEL_OWNER = 'sixgate.owner';
export const LABEL_CREATED = 'sixgate.created';

export function runLabels(runId: string, pid = process.pid): Record<string, string> {
  return {
    [LABEL_RUN]: runId,
    [LABEL_OWNER]: `${pid}@${hostname()}`,
    [LABEL_CREATED]: new Date().toISOString(),
  };
}

/**
 * Whether the owner of a resource is gone: its pid no longer exists on this host. Resources
 * owned by another host are never judged dead from here.
 */
export function ownerIsDead(owner: string | undefined): boolean {
  const m = /^(\d+)@(.+)$/.exec(owner ?? '');
  if (!m || m[2] !== hostname()) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
