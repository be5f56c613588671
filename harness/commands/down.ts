// `sixgate down`: removes runs by their labels — named ones, every kept one (optionally only
// those kept longer than a duration), or every one whose owner died. A live run that was not
// kept belongs to its process and is refused.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { parseDuration, viewRun } from '../lifecycle/runs.ts';
import {
  listRuns,
  removeRun,
  sweepDeadRuns,
  type RunResources,
} from '../providers/docker/cleanup.ts';
import { dockerClient, dockerFacts } from '../providers/docker/client.ts';

const down: Command = {
  summary: 'Remove kept or dead runs (containers, then networks) by their sixgate labels.',
  usage: 'sixgate down RUN-ID... | sixgate down --kept [--older-than 2h] | sixgate down --all-dead',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('down', argv, {
      'all-dead': { type: 'boolean', default: false },
      kept: { type: 'boolean', default: false },
      'older-than': { type: 'string' },
    });
    if (!values['all-dead'] && !values.kept && positionals.length === 0) {
      throw new UsageError('sixgate down needs a run id, --kept or --all-dead', {
        hint: "'sixgate ps' lists the runs on this daemon",
      });
    }
    if (values['older-than'] !== undefined && !values.kept)
      throw new UsageError('--older-than goes with --kept');
    const olderThan =
      values['older-than'] === undefined ? 0 : parseDuration('--older-than', values['older-than']);
    const docker = dockerClient();
    await dockerFacts(docker);
    let status = 0;
    const removed = async (run: RunResources) => {
      try {
        await removeRun(docker, run);
        io.stdout(
          `removed run ${run.runId}: ${run.containers.length} container(s), ${run.networks.length} network(s)\n`,
        );
      } catch (err) {
        io.stderr(`sixgate down: run ${run.runId}: ${(err as Error).message}\n`);
        status = 1;
      }
    };
    if (values['all-dead']) {
      const { swept, warnings } = await sweepDeadRuns(docker);
      io.stdout(swept.length ? `removed dead runs: ${swept.join(', ')}\n` : 'no dead runs\n');
      for (const w of warnings) io.stderr(`sixgate down: ${w}\n`);
      if (warnings.length) status = 1;
    }
    const runs = await listRuns(docker);
    if (values.kept) {
      const now = Date.now();
      const kept = runs.filter((r) => r.keptAt && (now - Date.parse(r.keptAt)) / 1000 >= olderThan);
      if (!kept.length) io.stdout('no kept runs to remove\n');
      for (const run of kept) await removed(run);
    }
    for (const id of positionals) {
      const run = runs.find((r) => r.runId === id);
      // Already gone is what the user wanted: say so, and succeed.
      if (!run) {
        io.stdout(`run ${id}: nothing left on this daemon\n`);
        continue;
      }
      const view = viewRun(run);
      if (view.state === 'alive' && !run.keptAt) {
        io.stderr(
          `sixgate down: run ${id} is live (owner ${run.owner}) and not kept; stop that process instead\n`,
        );
        status = 1;
        continue;
      }
      await removed(run);
    }
    return status;
  },
};

export default down;
