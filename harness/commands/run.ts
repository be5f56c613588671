// `sixgate run`: the run core (harness/job) with a progress view, then the reports and the exit
// code. Everything the user typed is checked before anything starts.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { exitCodeOf, MODES, parseShard, runJob, type ProviderChoice } from '../job/index.ts';
import { providerChoices } from '../providers/index.ts';
import { TARGETS } from '../matrix/index.ts';
import { DEFAULT_REPORTERS, parseReporters, REPORTERS, writeReports } from '../report/index.ts';
import { progressView } from '../report/progress.ts';

const PROVIDER_CHOICES = providerChoices();

const run: Command = {
  summary:
    'Run the connection matrix and the engine checks against a target; write reports/junit.xml and reports/matrix.html.',
  usage: `sixgate run [--provider ${PROVIDER_CHOICES.join('|')}] [--mode both|dual-stack|ipv6-only] [--target NAME | --profile FILE] [--cell ID|GLOB]... [--shard I/N] [--keep | --on RUN-ID] [--strict] [--reporter NAME[=FILE]]... [--junit FILE] [--html FILE]`,
  details: () =>
    [
      'options:',
      '  --cell ID|GLOB   a cell id from `sixgate matrix`, or a glob (peer.ula.*); repeatable',
      '  --shard I/N      run the I-th of N disjoint shares of the cells (both modes kept together);',
      '                   `sixgate merge` joins the shards’ results',
      '  --keep           leave the topology up (labelled kept; `sixgate down RUN-ID` removes it)',
      '  --on RUN-ID      run against a kept run (`sixgate up`), starting nothing; its mode and target',
      `  --reporter NAME[=FILE]  ${Object.keys(REPORTERS).join(', ')}; repeatable; FILE - is stdout`,
      '                   (default: console, junit=reports/junit.xml, html=reports/matrix.html)',
      '  --junit FILE, --html FILE  move those two reports',
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
      on: { type: 'string' },
      strict: { type: 'boolean', default: false },
      reporter: { type: 'string', multiple: true },
      junit: { type: 'string' },
      html: { type: 'string' },
    });
    if (positionals.length)
      throw new UsageError(`sixgate run takes no arguments; got '${positionals[0]}'`);
    const modes = MODES[values.mode];
    if (!modes)
      throw new UsageError(
        `--mode must be one of ${Object.keys(MODES).join(', ')}; got '${values.mode}'`,
      );
    if (!PROVIDER_CHOICES.includes(values.provider as ProviderChoice)) {
      throw new UsageError(
        `--provider must be one of ${PROVIDER_CHOICES.join(', ')}; got '${values.provider}'`,
      );
    }
    // --junit FILE and --html FILE stay as shorthands: they move those two reporters' files.
    const reporters = parseReporters(
      (values.reporter ?? [...DEFAULT_REPORTERS]).map((v) =>
        v === 'junit' && values.junit !== undefined
          ? `junit=${values.junit}`
          : v === 'html' && values.html !== undefined
            ? `html=${values.html}`
            : v,
      ),
    );
    const progress = progressView(io);
    const outcome = await runJob(
      {
        provider: values.provider as ProviderChoice,
        modes,
        ...(values.target === undefined ? {} : { target: values.target }),
        ...(values.profile === undefined ? {} : { profile: values.profile }),
        cells: values.cell ?? [],
        ...(values.shard === undefined ? {} : { shard: parseShard(values.shard) }),
        keep: values.keep,
        ...(values.on === undefined ? {} : { on: values.on }),
      },
      io,
      progress,
    );
    const { report } = outcome;
    progress.end();
    const written = await writeReports(report, reporters, io);
    // On stderr: a reporter may be writing a machine-read stream to stdout (`json=-`).
    for (const { name, file } of written) io.stderr(`sixgate: ${name}: ${file}\n`);
    const strict = values.strict || process.env.CI === 'true';
    return exitCodeOf(outcome, strict, io, values.strict ? '--strict' : 'CI=true');
  },
};

export default run;
