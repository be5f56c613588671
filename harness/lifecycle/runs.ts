// Runs as a person sees them (`sixgate ps`) and the rules `sixgate down` uses to pick them:
// alive or dead, kept or not, how old, and on which runtime.
import { hostname } from 'node:os';
import { UsageError } from '../errors/index.ts';
import type { RunResources } from '../providers/docker/cleanup.ts';
import { ownerIsDead } from '../topology/index.ts';

export interface RunView {
  id: string;
  owner: string;
  state: 'alive' | 'dead' | 'elsewhere';
  keptAt?: string;
  createdAt?: string;
  ageSeconds?: number;
  containers: number;
  networks: number;
  /** The provider whose runtime holds it (`docker`, `podman`), and where that runtime answers. */
  provider?: string;
  runtime?: string;
}

export function viewRun(r: RunResources, now = Date.now()): RunView {
  const here = /@([^#]+)/.exec(r.owner)?.[1] === hostname();
  const dead = ownerIsDead(r.owner);
  const created = r.createdAt ? Date.parse(r.createdAt) : NaN;
  return {
    id: r.runId,
    owner: r.owner,
    // Another host's processes cannot be checked from here: neither alive nor dead.
    state: dead ? 'dead' : here ? 'alive' : 'elsewhere',
    ...(r.keptAt ? { keptAt: r.keptAt } : {}),
    ...(r.createdAt ? { createdAt: r.createdAt } : {}),
    ...(Number.isNaN(created)
      ? {}
      : { ageSeconds: Math.max(0, Math.round((now - created) / 1000)) }),
    containers: r.containers.length,
    networks: r.networks.length,
  };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `15m`, `2h`, `7d` → seconds; anything else is a usage error naming the flag. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d{1,6})([smhd])$/.exec(text);
  if (!m) {
    throw new UsageError(
      `${flag} must be a number and a unit (s, m, h, d), e.g. 2h; got '${text}'`,
    );
  }
  return Number(m[1]) * UNITS[m[2]!]!;
}

export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}
