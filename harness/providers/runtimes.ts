// Every runtime this machine reaches, not only the one a run starts on: `ps` and `down` act on
// each, `run --on` finds a kept run wherever it is, and the sweep before a run removes dead runs
// on each. The candidates are discovery's (the configured place, then every provider's default
// sockets, as each provider declares them); one that does not answer is left out and said, never
// an error while another answers.
import type Docker from 'dockerode';
import { NoDockerError } from '../errors/index.ts';
import { LABEL_RUN } from '../topology/index.ts';
import { checkRunId, RunAttachError, type RunRuntime } from './docker/attach.ts';
import { listRuns, sweepDeadRuns, type RunResources, type SweepReport } from './docker/cleanup.ts';
import { identifyRuntime, runtimeCandidates, type FoundRuntime } from './discover.ts';
import { PROVIDERS, type ProviderId } from './registry.ts';

export interface ReachableRuntime {
  docker: Docker;
  /** The provider that drives it, as its /version reply says. */
  provider: ProviderId;
  /** `Docker Engine 20.10.24`, `Podman Engine 4.3.1`. */
  name: string;
  found: FoundRuntime;
}

export interface RuntimeSurvey {
  reachable: ReachableRuntime[];
  /** Candidates that did not answer, each with why. */
  unreachable: Array<{ found: FoundRuntime; why: string }>;
}

/** For people: `podman at unix:///run/podman/podman.sock`. */
export const runtimeWhere = (r: ReachableRuntime) => `${r.provider} at ${r.found.uri}`;

/** The low-level reason under a NoDockerError: it names Docker whichever runtime it was. */
const causeOf = (err: unknown) =>
  ((err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error))
    .message;

/** Asks every candidate (of `want`'s provider, when given) who it is, all at once. */
export async function surveyRuntimes(
  want?: ProviderId,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RuntimeSurvey> {
  const candidates = await runtimeCandidates(undefined, env);
  const settled = await Promise.allSettled(candidates.map((c) => identifyRuntime(c)));
  const survey: RuntimeSurvey = { reachable: [], unreachable: [] };
  settled.forEach((s, i) => {
    const found = candidates[i]!;
    if (s.status === 'rejected') {
      if (!want || found.likely === want)
        survey.unreachable.push({ found, why: causeOf(s.reason) });
      return;
    }
    const provider = s.value.provider ?? found.likely;
    if (!want || provider === want)
      survey.reachable.push({ docker: s.value.docker, provider, name: s.value.name, found });
  });
  return survey;
}

/** As surveyRuntimes; none answering is the environment error (exit 3), naming what was tried. */
export async function reachableRuntimes(want?: ProviderId): Promise<RuntimeSurvey> {
  const survey = await surveyRuntimes(want);
  if (survey.reachable.length) return survey;
  const runtimes = (Object.keys(PROVIDERS) as ProviderId[]).filter((id) => PROVIDERS[id].runtime);
  const titles = (want ? [want] : runtimes).map((id) => PROVIDERS[id].title).join(' or ');
  const tried = survey.unreachable.map((u) => `${u.found.uri}: ${u.why}`).join('; ');
  throw new NoDockerError(
    new Error(tried || `no DOCKER_HOST, no ~/.testcontainers.properties, no ${titles} socket`),
    {
      what: want ? PROVIDERS[want].title : 'container runtime',
      hint: `start ${titles}, or set DOCKER_HOST`,
    },
  );
}

/** What a person is told about a runtime left out: where it is, why it was tried, what failed. */
function skipped(u: RuntimeSurvey['unreachable'][number]): string {
  return `skipped ${u.found.uri} (${u.found.strategy}): it did not answer (${u.why})`;
}

export interface RunOnRuntime {
  at: ReachableRuntime;
  run: RunResources;
}

/**
 * Every sixgate run on every reachable runtime (`sixgate ps`, `sixgate down`), with notes on the
 * runtimes left out; an environment error only when no runtime answers or none can list its runs.
 */
export async function runsEverywhere(): Promise<{
  runs: RunOnRuntime[];
  runtimes: ReachableRuntime[];
  notes: string[];
}> {
  const { reachable, unreachable } = await reachableRuntimes();
  const notes = unreachable.map(skipped);
  const listed = await Promise.allSettled(reachable.map((at) => listRuns(at.docker)));
  const runs: RunOnRuntime[] = [];
  listed.forEach((l, i) => {
    const at = reachable[i]!;
    if (l.status === 'fulfilled') runs.push(...l.value.map((run) => ({ at, run })));
    else
      notes.push(
        `skipped ${runtimeWhere(at)}: listing its runs failed (${(l.reason as Error).message})`,
      );
  });
  const failed = listed.find((l) => l.status === 'rejected');
  if (failed && listed.every((l) => l.status === 'rejected')) throw failed.reason;
  return { runs, runtimes: reachable, notes };
}

let once: Promise<SweepReport> | undefined;

/**
 * The sweep a run does before it starts: dead runs on every reachable runtime, once per process
 * however many topologies it starts. Never throws; what it could not remove is a warning.
 */
export function sweepOnce(): Promise<SweepReport> {
  once ??= (async () => {
    let survey: RuntimeSurvey;
    try {
      survey = await surveyRuntimes();
    } catch (err) {
      return { swept: [], warnings: [`could not look for leftovers: ${(err as Error).message}`] };
    }
    const reports = await Promise.all(
      survey.reachable.map(async (r) => {
        const { swept, warnings } = await sweepDeadRuns(r.docker);
        return { swept, warnings: warnings.map((w) => `${runtimeWhere(r)}: ${w}`) };
      }),
    );
    return { swept: reports.flatMap((r) => r.swept), warnings: reports.flatMap((r) => r.warnings) };
  })();
  return once;
}

/** The reachable runtime (of `want`'s provider, when given) that holds run `runId`. */
export async function runtimeHolding(runId: string, want?: ProviderId): Promise<RunRuntime> {
  checkRunId(runId);
  const { reachable } = await reachableRuntimes(want);
  const filters = JSON.stringify({ label: [`${LABEL_RUN}=${runId}`] });
  const listed = await Promise.all(
    reachable.map((r) =>
      r.docker.listContainers({ all: true, filters }).then(
        (c) => c,
        () => [],
      ),
    ),
  );
  const i = listed.findIndex((c) => c.length > 0);
  const at = reachable[i];
  if (!at) {
    throw new RunAttachError(
      'SIXGATE_NO_SUCH_RUN',
      `no run ${runId} on any reachable runtime (${reachable.map(runtimeWhere).join(', ')})`,
      "'sixgate ps' lists the runs; 'sixgate up' starts a kept one",
    );
  }
  return {
    docker: at.docker,
    provider: at.provider,
    endpoint: at.found.endpoint,
    ...(PROVIDERS[at.provider].cli ? { cli: PROVIDERS[at.provider].cli } : {}),
    where: `${at.name} at ${at.found.uri}`,
    containers: listed[i]!,
    probes: PROVIDERS[at.provider].runtime?.probes ?? 'exec',
  };
}
