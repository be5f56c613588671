import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { isEngineField } from '../address/index.ts';
import { loadCorpus } from '../address/corpus.ts';
import { UsageError } from '../errors/index.ts';
import { ENGINE_CELLS } from '../engine-checks/index.ts';
import { CELLS } from '../matrix/index.ts';
import { describeExpectation } from '../matrix/check.ts';
import { NETWORK_MODES, type NetworkMode } from '../providers/contract.ts';

/** One text per network mode, in NETWORK_MODES' order. */
const perMode = (text: (m: NetworkMode) => string) =>
  Object.fromEntries(
    (Object.keys(NETWORK_MODES) as NetworkMode[]).map((m) => [m, text(m)]),
  ) as Record<NetworkMode, string>;

const matrix: Command = {
  summary:
    'List the connection matrix and the engine cells: each with its id, source and expected outcome.',
  usage: 'sixgate matrix [--json]',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('matrix', argv, {
      json: { type: 'boolean', default: false },
    });
    if (positionals.length)
      throw new UsageError(`sixgate matrix takes no arguments; got '${positionals[0]}'`);
    const rows: Array<{
      id: string;
      title: string;
      source: string;
      from: string;
      agent: string;
      expected: Record<NetworkMode, string>;
    }> = CELLS.map((c) => ({
      id: c.id,
      title: c.title,
      source: c.source,
      from: c.from,
      agent: c.role,
      expected: perMode((m) => describeExpectation(c.expect(m))),
    }));
    // The engine cells run from the engine's API against the same agents.
    rows.push(
      ...ENGINE_CELLS.map((c) => ({
        id: c.id,
        title: c.title,
        source: c.source,
        from: 'engine API',
        agent: c.roles.join(', ') || 'none',
        expected: perMode((m) => c.expected(m)),
      })),
    );
    if (values.json) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    for (const r of rows) {
      io.stdout(
        `${r.id}\n  ${r.title}\n  source: ${r.source}\n  from ${r.from}, agent ${r.agent}\n`,
      );
      const texts = Object.entries(r.expected);
      io.stdout(
        new Set(texts.map(([, t]) => t)).size === 1
          ? `  expects: ${texts[0]![1]}\n`
          : texts.map(([m, t]) => `  ${`${m}:`.padEnd(12)}${t}\n`).join(''),
      );
    }
    io.stdout(
      `${rows.length} cells; a run also sends the ${loadCorpus().filter((c) => isEngineField(c.field)).length} engine-field cases of the validation corpus through the engine's API\n`,
    );
    return 0;
  },
};

export default matrix;
