// `sixgate run`: the run core (harness/job) with a progress view, then the reports and the exit
// code. Everything the user typed is checked before anything starts.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { exitCodeOf, MODES, parseShard, runJob, type ProviderChoice } from '../job/index.ts';
import { TARGETS } from '../matrix/index.ts';
import { toHtml } from '../report/html.ts';
import { toJunit } from '../report/junit.ts';
import { Progress } from '../report/progress.ts';
import { summarize } from '../report/summary.ts';

const PROVIDERS: ProviderChoice[] = ['auto', 'docker', 'local'];

const run: Command = {
  summary:
    'Run the connection matrix and the engine checks against a target; write reports/junit.xml and reports/matrix.html.',
  usage:
    'sixgate run [--provider auto|docker|local] [--mode both|dual-stack|ipv6-only] [--target NAME | --profile FILE] [--cell ID|GLOB]... [--shard I/N] [--keep] [--strict] [--junit FILE] [--html FILE]',
  details: () =>
    [
      'options:',
      '  --cell ID|GLOB   a cell id from `sixgate matrix`, or a glob (peer.ula.*); repeatable',
      '  --shard I/N      run the I-th of N disjoint shares of the cells (both modes kept together);',
      '                   `sixgate merge` joins the shards’ results',
      '  --keep           leave the topology up (labelled kept; `sixgate down RUN-ID` removes it)',
      '  --strict         any skip, or a fallback to the local provider, exits 3 (also when CI=true)',
      '',
      `targets (--target): ${TARGETS.map((t) => t.name).join(', ')}`,
      '',
      'exit codes: 0 all passed · 1 a cell failed (the target) or errored (the harness) ·',
      '  2 usage or profile error · 3 environment not ready (or --strict) · 130/143 interrupted',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', argv, {
      provider: { type: 'string', default: 'auto' },
      mode: { type: 'string', default: 'both' },
      target: { type: 'string' },
      profile: { type: 'string' },
      cell: { type: 'string', multiple: true },
      shard: { type: 'string' },
      keep: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      junit: { type: 'string', default: 'reports/junit.xml' },
      html: { type: 'string', default: 'reports/matrix.html' },
    });
    if (positionals.length)
      throw new UsageError(`sixgate run takes no arguments; got '${positionals[0]}'`);
    const modes = MODES[values.mode];
    if (!modes)
      throw new UsageError(
        `--mode must be one of ${Object.keys(MODES).join(', ')}; got '${values.mode}'`,
      );
    if (!PROVIDERS.includes(values.provider as ProviderChoice)) {
      throw new UsageError(
        `--provider must be one of ${PROVIDERS.join(', ')}; got '${values.provider}'`,
      );
    }
    let progress: Progress | undefined;
    const outcome = await runJob(
      {
        provider: values.provider as ProviderChoice,
        modes,
        ...(values.target === undefined ? {} : { target: values.target }),
        ...(values.profile === undefined ? {} : { profile: values.profile }),
        cells: values.cell ?? [],
        ...(values.shard === undefined ? {} : { shard: parseShard(values.shard) }),
        keep: values.keep,
      },
      io,
      {
        onPlan: (total) => {
          progress = new Progress(
            { isTTY: io.isTTY === true, write: (t) => (io.isTTY ? io.stderr(t) : io.stdout(t)) },
            total,
          );
        },
        onPhase: (mode) => progress?.phase(mode),
        onResult: (r) => progress?.result(r),
      },
    );
    const { report } = outcome;
    await mkdir(dirname(values.junit), { recursive: true });
    await writeFile(
      values.junit,
      toJunit(report.results, { properties: report.properties, startedAt: report.startedAt }),
    );
    await mkdir(dirname(values.html), { recursive: true });
    await writeFile(values.html, toHtml(report.results, report.properties));
    progress?.end();
    io.stdout(summarize(report.results));
    io.stdout(`JUnit: ${values.junit}\nHTML:  ${values.html}\n`);
    const strict = values.strict || process.env.CI === 'true';
    return exitCodeOf(outcome, strict, io, values.strict ? '--strict' : 'CI=true');
  },
};

export default run;
