// Finding and removing what sixgate created, by label only: containers first (they hold the
// networks), then networks. Nothing without a sixgate.run label is ever touched.
import type Docker from 'dockerode';
import { LABEL_OWNER, LABEL_RUN, ownerIsDead } from '../../topology/index.ts';

export interface RunResources {
  runId: string;
  owner: string;
  containers: string[];
  networks: string[];
}

const gone = (err: unknown) =>
  [404, 409].includes((err as { statusCode?: number }).statusCode ?? 0);

export async function removeContainer(docker: Docker, id: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch((err: unknown) => {
      if (!gone(err)) throw err;
    });
}

export async function removeNetwork(docker: Docker, id: string): Promise<void> {
  await docker
    .getNetwork(id)
    .remove()
    .catch((err: unknown) => {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    });
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
    return r;
  };
  for (const c of containers) entry(c.Labels).containers.push(c.Id);
  for (const n of networks) entry(n.Labels).networks.push(n.Id);
  return [...runs.values()].filter((r) => r.runId !== '');
}

export async function removeRun(docker: Docker, run: RunResources): Promise<void> {
  // Sidecars share their agent's namespace; removing all containers together is fine with force.
  await Promise.all(run.containers.map((id) => removeContainer(docker, id)));
  for (const id of run.networks) await removeNetwork(docker, id);
}

/** Removes runs whose owner process is dead on this host; returns their ids. */
export async function sweepDeadRuns(docker: Docker): Promise<string[]> {
  const dead = (await listRuns(docker)).filter((r) => ownerIsDead(r.owner));
  for (const run of dead) await removeRun(docker, run);
  return dead.map((r) => r.runId);
}
