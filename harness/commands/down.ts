// `sixgate down`: removes runs by their labels, on every runtime this machine reaches (Docker,
// Podman) — named ones wherever they are, every kept one (optionally only those kept longer
// than a duration), or every one whose owner died. A live run that was not kept belongs to its
// process and is refused.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { parseDuration, viewRun } from '../lifecycle/runs.ts';
import { removeRun, sweepDeadRuns } from '../providers/docker/cleanup.ts';
import { runsEverywhere, runtimeWhere, type RunOnRuntime } from '../providers/runtimes.ts';

const down: Command = {
  summary:
    'Remove kept or dead runs (containers, then networks) by their sixgate labels, on every reachable runtime.',
  usage: 'sixgate down RUN-ID... | sixgate down --kept [--older-than 2h] | sixgate down --all-dead',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('down', argv, {
      'all-dead': { type: 'boolean', default: false },
      kept: { type: 'boolean', default: false },
      'older-than': { type: 'string' },
    });
    if (!values['all-dead'] && !values.kept && positionals.length === 0) {
      throw new UsageError('sixgate down needs a run id, --kept or --all-dead', {
        hint: "'sixgate ps' lists the runs on every reachable runtime",
      });
    }
    if (values['older-than'] !== undefined && !values.kept)
      throw new UsageError('--older-than goes with --kept');
    const olderThan =
      values['older-than'] === undefined ? 0 : parseDuration('--older-than', values['older-than']);
    const { runs, runtimes, notes } = await runsEverywhere();
    for (const n of notes) io.stderr(`sixgate down: ${n}\n`);
    let status = 0;
    const removed = async ({ at, run }: RunOnRuntime) => {
      try {
        await removeRun(at.docker, run);
        io.stdout(
          `removed run ${run.runId} (${at.provider}): ${run.containers.length} container(s), ${run.networks.length} network(s)\n`,
        );
      } catch (err) {
        io.stderr(`sixgate down: run ${run.runId} (${at.provider}): ${(err as Error).message}\n`);
        status = 1;
      }
    };
    if (values['all-dead']) {
      const reports = await Promise.all(
        runtimes.map(async (at) => ({ at, ...(await sweepDeadRuns(at.docker)) })),
      );
      const swept = reports.flatMap((r) => r.swept.map((id) => `${id} (${r.at.provider})`));
      io.stdout(swept.length ? `removed dead runs: ${swept.join(', ')}\n` : 'no dead runs\n');
      for (const r of reports)
        for (const w of r.warnings) io.stderr(`sixgate down: ${runtimeWhere(r.at)}: ${w}\n`);
      if (reports.some((r) => r.warnings.length)) status = 1;
    }
    if (values.kept) {
      const now = Date.now();
      const kept = runs.filter(
        ({ run }) => run.keptAt && (now - Date.parse(run.keptAt)) / 1000 >= olderThan,
      );
      if (!kept.length) io.stdout('no kept runs to remove\n');
      for (const r of kept) await removed(r);
    }
    for (const id of positionals) {
      const found = runs.filter(({ run }) => run.runId === id);
      // Already gone is what the user wanted: say so, and succeed.
      if (!found.length) {
        io.stdout(`run ${id}: nothing left on any reachable runtime\n`);
        continue;
      }
      for (const r of found) {
        const { run, at } = r;
        if (viewRun(run).state === 'alive' && !run.keptAt) {
          io.stderr(
            `sixgate down: run ${id} (${at.provider}) is live (owner ${run.owner}) and not kept; stop that process instead\n`,
          );
          status = 1;
          continue;
        }
        await removed(r);
      }
    }
    return status;
  },
};

export default down;
