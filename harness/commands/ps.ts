// `sixgate ps`: the runs on every runtime this machine reaches (Docker, Podman), whoever started
// them — id, runtime, owner, alive or dead, kept, age, containers, networks — so a person can
// tell leftovers from a neighbour's live run.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { formatAge, viewRun } from '../lifecycle/runs.ts';
import { runsEverywhere, runtimeWhere } from '../providers/runtimes.ts';

const ps: Command = {
  summary:
    'List sixgate runs on every reachable runtime: alive, dead or kept, with their resources.',
  usage: 'sixgate ps [--json]',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('ps', argv, {
      json: { type: 'boolean', default: false },
    });
    if (positionals.length)
      throw new UsageError(`sixgate ps takes no arguments; got '${positionals[0]}'`);
    const { runs: found, runtimes, notes } = await runsEverywhere();
    for (const n of notes) io.stderr(`sixgate ps: ${n}\n`);
    // A provider reached at two places (rootful and rootless Podman) says which one.
    const twice = (provider: string) => runtimes.filter((r) => r.provider === provider).length > 1;
    const runs = found.map(({ at, run }) => ({
      ...viewRun(run),
      provider: at.provider,
      runtime: at.found.uri,
    }));
    runs.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
    if (values.json) {
      io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    const rows = [
      ['RUN', 'RUNTIME', 'OWNER', 'STATE', 'KEPT', 'AGE', 'CONTAINERS', 'NETWORKS'],
      ...runs.map((r) => [
        r.id,
        twice(r.provider) ? `${r.provider} (${r.runtime})` : r.provider,
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
    if (runs.length === 0)
      io.stdout(`(no sixgate runs on ${runtimes.map(runtimeWhere).join(', ')})\n`);
    return 0;
  },
};

export default ps;
