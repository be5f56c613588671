// `sixgate ps`: the runs on this daemon, whoever started them — id, owner, alive or dead, kept,
// age, containers, networks — so a person can tell leftovers from a neighbour's live run.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { formatAge, viewRun } from '../lifecycle/runs.ts';
import { listRuns } from '../providers/docker/cleanup.ts';
import { dockerClient, dockerFacts } from '../providers/docker/client.ts';

const ps: Command = {
  summary: 'List sixgate runs on this Docker daemon: alive, dead or kept, with their resources.',
  usage: 'sixgate ps [--json]',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('ps', argv, {
      json: { type: 'boolean', default: false },
    });
    if (positionals.length)
      throw new UsageError(`sixgate ps takes no arguments; got '${positionals[0]}'`);
    const docker = dockerClient();
    await dockerFacts(docker);
    const runs = (await listRuns(docker)).map((r) => viewRun(r));
    runs.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
    if (values.json) {
      io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    const rows = [
      ['RUN', 'OWNER', 'STATE', 'KEPT', 'AGE', 'CONTAINERS', 'NETWORKS'],
      ...runs.map((r) => [
        r.id,
        r.owner.replace(/#\d+$/, ''),
        r.state,
        r.keptAt ?? '-',
        formatAge(r.ageSeconds),
        String(r.containers),
        String(r.networks),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows)
      io.stdout(
        `${row
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    if (runs.length === 0) io.stdout('(no sixgate runs on this daemon)\n');
    return 0;
  },
};

export default ps;
