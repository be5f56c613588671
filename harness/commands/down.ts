// `sixgate down <run-id>` removes a kept run; `--all-dead` removes runs whose owner died.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { listRuns, removeRun, sweepDeadRuns } from '../providers/docker/cleanup.ts';
import { dockerClient, dockerFacts } from '../providers/docker/client.ts';

const down: Command = {
  summary: 'Remove a kept topology (containers, then networks) by its sixgate.run label.',
  usage: 'sixgate down <run-id>... | sixgate down --all-dead',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('down', argv, {
      'all-dead': { type: 'boolean', default: false },
    });
    if (!values['all-dead'] && positionals.length === 0) {
      throw new UsageError('sixgate down needs a run id or --all-dead', {
        hint: 'docker ps --filter label=sixgate.run lists runs',
      });
    }
    const docker = dockerClient();
    await dockerFacts(docker);
    if (values['all-dead']) {
      const swept = await sweepDeadRuns(docker);
      io.stdout(swept.length ? `removed runs: ${swept.join(', ')}\n` : 'no dead runs\n');
    }
    const runs = await listRuns(docker);
    let missing = 0;
    for (const id of positionals) {
      const run = runs.find((r) => r.runId === id);
      if (!run) {
        io.stderr(`sixgate down: no resources labelled sixgate.run=${id}\n`);
        missing++;
        continue;
      }
      await removeRun(docker, run);
      io.stdout(
        `removed run ${id}: ${run.containers.length} container(s), ${run.networks.length} network(s)\n`,
      );
    }
    return missing ? 1 : 0;
  },
};

export default down;
