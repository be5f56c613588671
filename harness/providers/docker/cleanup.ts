// Finding and removing what sixgate created, by label only: containers first (they hold the
// networks), then networks. Nothing without a sixgate.run label is ever touched. Several runs
// share a daemon: another one may be removing the same leftovers at the same moment, so 404
// and 409 mean "someone else is on it", and a network still holding endpoints is waited for.
import type Docker from 'dockerode';
import { SixgateError } from '../../errors/index.ts';
import { dropRecordCopy } from './record-cache.ts';
import {
  LABEL_CREATED,
  LABEL_KEPT,
  LABEL_OWNER,
  LABEL_RUN,
  ownerIsDead,
} from '../../topology/index.ts';

export interface RunResources {
  runId: string;
  owner: string;
  /** When the run was kept (`--keep`, `sixgate up`); kept runs are never swept. */
  keptAt?: string;
  /** The earliest creation time among its resources. */
  createdAt?: string;
  containers: string[];
  networks: string[];
}

const status = (err: unknown) => (err as { statusCode?: number }).statusCode ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Bounded waits for another remover, or for endpoints to leave a network. */
const ATTEMPTS = 25;
const BACKOFF_MS = 200;

export class CleanupError extends SixgateError {
  constructor(what: string, cause: unknown) {
    super('SIXGATE_CLEANUP', `could not remove ${what}: ${(cause as Error)?.message ?? cause}`, {
      cause,
      hint: "'sixgate ps' lists runs on this daemon; 'sixgate down RUN-ID' retries",
    });
  }
}

/** Removes a container by id or name; gone already, or being removed by someone else, is fine. */
export async function removeContainer(docker: Docker, idOrName: string): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) {
    try {
      await docker.getContainer(idOrName).remove({ force: true, v: true });
      return;
    } catch (err) {
      if (status(err) === 404) return;
      // 409: a removal is already in progress; wait until it is gone, not just "in progress".
      // Podman refuses (500) while a container joined to its namespace (a probe sidecar being
      // removed beside it) is still there: wait for that one the same way.
      const dependent =
        status(err) === 500 && /dependent containers/i.test(String((err as Error).message));
      if (status(err) !== 409 && !dependent) throw new CleanupError(`container ${idOrName}`, err);
      await sleep(BACKOFF_MS);
    }
  }
  throw new CleanupError(`container ${idOrName}`, 'still being removed by someone else');
}

/**
 * Removes a network; while containers are still attached (403, "has active endpoints"), they
 * are disconnected by force (only sixgate's own: a network labelled by sixgate holds nothing
 * else) and it is tried again, a bounded number of times.
 */
export async function removeNetwork(docker: Docker, idOrName: string): Promise<void> {
  const net = docker.getNetwork(idOrName);
  let last: unknown;
  for (let i = 0; i < ATTEMPTS; i++) {
    try {
      await net.remove();
      return;
    } catch (err) {
      if (status(err) === 404) return;
      last = err;
      if (status(err) === 403 || /active endpoints/i.test(String((err as Error).message))) {
        const info = (await net.inspect().catch(() => undefined)) as
          { Containers?: Record<string, unknown> } | undefined;
        await Promise.all(
          Object.keys(info?.Containers ?? {}).map((c) =>
            net.disconnect({ Container: c, Force: true }).catch(() => undefined),
          ),
        );
      } else if (status(err) !== 409) {
        throw new CleanupError(`network ${idOrName}`, err);
      }
      await sleep(BACKOFF_MS);
    }
  }
  throw new CleanupError(`network ${idOrName}`, last);
}

/** Every sixgate run that has resources on this daemon, grouped by run id. */
export async function listRuns(docker: Docker): Promise<RunResources[]> {
  const filters = JSON.stringify({ label: [LABEL_RUN] });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  const runs = new Map<string, RunResources>();
  const entry = (labels: Record<string, string> | undefined) => {
    const runId = labels?.[LABEL_RUN] ?? '';
    let r = runs.get(runId);
    if (!r)
      runs.set(
        runId,
        (r = { runId, owner: labels?.[LABEL_OWNER] ?? '', containers: [], networks: [] }),
      );
    const kept = labels?.[LABEL_KEPT];
    if (kept) r.keptAt = kept;
    const created = labels?.[LABEL_CREATED];
    if (created && (!r.createdAt || created < r.createdAt)) r.createdAt = created;
    return r;
  };
  for (const c of containers) entry(c.Labels).containers.push(c.Id);
  for (const n of networks) entry(n.Labels).networks.push(n.Id);
  return [...runs.values()].filter((r) => r.runId !== '');
}

/** Containers together (forced; sidecars go with their hosts), then the networks. */
export async function removeRun(docker: Docker, run: RunResources): Promise<void> {
  if (run.keptAt) await dropRecordCopy(run.runId);
  const failed = (
    await Promise.allSettled(run.containers.map((id) => removeContainer(docker, id)))
  ).filter((r) => r.status === 'rejected');
  const netFailed = (
    await Promise.allSettled(run.networks.map((id) => removeNetwork(docker, id)))
  ).filter((r) => r.status === 'rejected');
  const first = [...failed, ...netFailed][0];
  if (first) throw (first as PromiseRejectedResult).reason;
}

/** Everything still labelled with this run id: the last net under a teardown. */
export async function removeRunById(docker: Docker, runId: string): Promise<void> {
  const run = (await listRuns(docker)).find((r) => r.runId === runId);
  if (run) await removeRun(docker, run);
}

export const isDeadRun = (r: RunResources) => !r.keptAt && ownerIsDead(r.owner);

export interface SweepReport {
  swept: string[];
  /** What could not be removed: said in the console and the JUnit, never fatal. */
  warnings: string[];
}

/** Removes runs whose owner process died on this host and that were not kept; never throws. */
export async function sweepDeadRuns(docker: Docker): Promise<SweepReport> {
  const report: SweepReport = { swept: [], warnings: [] };
  let runs: RunResources[];
  try {
    runs = (await listRuns(docker)).filter(isDeadRun);
  } catch (err) {
    report.warnings.push(`could not list leftovers: ${(err as Error).message}`);
    return report;
  }
  await Promise.all(
    runs.map(async (run) => {
      try {
        await removeRun(docker, run);
        report.swept.push(run.runId);
      } catch (err) {
        report.warnings.push(`run ${run.runId}: ${(err as Error).message}`);
      }
    }),
  );
  return report;
}
