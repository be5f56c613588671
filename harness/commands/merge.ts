// `sixgate merge RESULTS.json...`: the results.json files of one run spread over several runners
// (`sixgate run --shard I/N --reporter json=FILE` on each) joined into one report, written by the
// same reporters as `run`. What cannot be one run is refused (exit 2, naming the files): mixed
// targets or sixgate versions, a result in two files, shards of different splits.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { ENGINE_CELLS } from '../engine-checks/engine-cells.ts';
import { UsageError } from '../errors/index.ts';
import { engineCorpusIds } from '../job/select.ts';
import { CELLS } from '../matrix/cells.ts';
import type { CellResult } from '../matrix/result.ts';
import type { NetworkMode } from '../providers/contract.ts';
import type { RunReport, RunSelection } from '../report/contract.ts';
import { parseReporters, REPORTERS, writeReports } from '../report/index.ts';
import { readResultsFile } from '../report/results-file.ts';

/** How many files one merge reads: a CI matrix of 1000 shards is --shard's own limit. */
const MAX_FILES = 1000;

interface Part {
  file: string;
  report: RunReport;
}

const refuse = (message: string, hint?: string): never => {
  throw new UsageError(`sixgate merge: ${message}`, {
    code: 'SIXGATE_MERGE',
    hint: hint ?? 'merge the results.json files of one run: one target, one sixgate, one split',
  });
};

/** The target a file ran against: its `run.target`, or what its results name. */
const targetOf = (r: RunReport) =>
  r.properties['run.target'] ?? [...new Set(r.results.map((x) => x.target))].sort().join(',');

/** Every file must agree on `what`; the first that does not is named with the first file. */
function same(parts: readonly Part[], what: string, of: (r: RunReport) => string): string {
  const first = of(parts[0]!.report);
  const other = parts.find((p) => of(p.report) !== first);
  if (other)
    refuse(
      `${parts[0]!.file} and ${other.file} have different ${what} (${first || 'none'}; ${of(other.report) || 'none'})`,
    );
  return first;
}

/**
 * Shards of one split (the same N, modes and --cell patterns) give back the whole selection
 * when all N are there, and say which are there when not. Files without --shard (runs of
 * disjoint --cell sets) join their selections.
 */
function mergeSelection(parts: readonly Part[]): RunSelection {
  const sels = parts.map((p) => p.report.selection);
  const corpus = sels.some((s) => s.corpus);
  const sharded = parts.filter((p) => p.report.selection.shard || p.report.selection.shards);
  if (sharded.length === 0) {
    const modes = [...new Set(sels.flatMap((s) => s.modes))] as NetworkMode[];
    // No pattern means every cell: joined with anything it is still every cell.
    const cells = sels.some((s) => s.cells.length === 0)
      ? []
      : [...new Set(sels.flatMap((s) => s.cells))];
    return { modes, cells, corpus };
  }
  if (sharded.length !== parts.length) {
    const whole = parts.find((p) => !sharded.includes(p))!;
    refuse(`${sharded[0]!.file} is a shard and ${whole.file} is not: they are not one split`);
  }
  const split = (r: RunReport) => r.selection.shard?.count ?? r.selection.shards!.count;
  const count = Number(same(parts, 'shard counts (--shard I/N)', (r) => String(split(r))));
  same(parts, 'modes', (r) => r.selection.modes.join(','));
  same(parts, '--cell patterns', (r) => r.selection.cells.join(' '));
  const holder = new Map<number, string>();
  for (const p of parts) {
    const s = p.report.selection;
    for (const i of s.shard ? [s.shard.index] : s.shards!.indices) {
      const first = holder.get(i);
      if (first !== undefined) refuse(`${first} and ${p.file} both hold shard ${i}/${count}`);
      holder.set(i, p.file);
    }
  }
  const base = { modes: sels[0]!.modes, cells: sels[0]!.cells };
  if (holder.size === count) return { ...base, corpus };
  const indices = [...holder.keys()].sort((a, b) => a - b);
  return { ...base, shards: { indices, count }, corpus };
}

/**
 * Run-wide facts: a key every file that has it agrees on is kept as it is; a key whose values
 * differ (each runner's Node, Docker, provider) is kept once per file instead, as
 * `shard<I>.<key>` (I: the file's shard index) or, for a file without --shard, `file<K>.<key>`
 * (K: its place among the arguments, from 1).
 */
function mergeProperties(parts: readonly Part[]): Record<string, string> {
  const label = (p: Part, k: number) => {
    const s = p.report.selection;
    return s.shard ? `shard${s.shard.index}` : `file${k + 1}`;
  };
  const values = new Map<string, Set<string>>();
  for (const p of parts)
    for (const [key, value] of Object.entries(p.report.properties))
      values.set(key, (values.get(key) ?? new Set()).add(value));
  const merged: Record<string, string> = {};
  for (const [key, vs] of values) {
    if (vs.size === 1) {
      merged[key] = [...vs][0]!;
      continue;
    }
    parts.forEach((p, k) => {
      const v = p.report.properties[key];
      if (v !== undefined) merged[`${label(p, k)}.${key}`] = v;
    });
  }
  merged['merge.files'] = String(parts.length);
  return merged;
}

/** The order every run reports in: by mode, then matrix cells, engine cells, corpus cases. */
function sortResults(results: CellResult[]): CellResult[] {
  const ids = [...CELLS.map((c) => c.id), ...ENGINE_CELLS.map((c) => c.id), ...engineCorpusIds()];
  const order = new Map(ids.map((id, i) => [id, i]));
  const rank = (id: string) => order.get(id) ?? order.size;
  return results.sort((a, b) => a.mode.localeCompare(b.mode) || rank(a.id) - rank(b.id));
}

/** The parts as one report; refuses what cannot be one run. */
export function mergeReports(parts: readonly Part[]): RunReport {
  same(parts, 'sixgate versions', (r) => r.properties['run.sixgate'] ?? '');
  same(parts, 'targets', targetOf);
  const seen = new Map<string, string>();
  for (const p of parts)
    for (const r of p.report.results) {
      const key = `${r.mode}\u0000${r.id}`;
      const first = seen.get(key);
      if (first !== undefined)
        refuse(`${first} and ${p.file} both hold ${r.id} [${r.mode}]: the results overlap`);
      seen.set(key, p.file);
    }
  return {
    results: sortResults(parts.flatMap((p) => p.report.results)),
    properties: mergeProperties(parts),
    startedAt: new Date(Math.min(...parts.map((p) => p.report.startedAt.getTime()))),
    endedAt: new Date(Math.max(...parts.map((p) => p.report.endedAt.getTime()))),
    selection: mergeSelection(parts),
    // A verdict judges a whole certify run; the parts' verdicts are not the merge's.
  };
}

const merge: Command = {
  summary:
    'Join the results.json files of a sharded run (run --shard I/N --reporter json=FILE) into one report.',
  usage: 'sixgate merge RESULTS.json... [--reporter NAME[=FILE]]...',
  details: () =>
    [
      'options:',
      `  --reporter NAME[=FILE]  ${Object.keys(REPORTERS).join(', ')}; repeatable; FILE '-' is stdout.`,
      '                          Default: console, junit (reports/junit.xml), html (reports/matrix.html)',
      '',
      'Refused (exit 2): files of different targets or sixgate versions, a result in two files,',
      'shards of different splits. All N shards of a split give a whole run again; fewer are',
      'reported as the shards they are. Facts the runners disagree on (their Node, Docker) are',
      'kept per file as shard<I>.<key>. The merge carries no certify verdict.',
      '',
      'exit codes: 0 all passed · 1 a result failed or errored · 2 usage or a bad results file',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('merge', argv, {
      reporter: { type: 'string', multiple: true },
    });
    if (!positionals.length)
      throw new UsageError('sixgate merge: name the results.json files to merge', {
        hint: "each is what 'sixgate run --shard I/N --reporter json=FILE' wrote",
      });
    if (positionals.length > MAX_FILES)
      throw new UsageError(`sixgate merge: at most ${MAX_FILES} files; got ${positionals.length}`);
    // Every flag and file is checked before anything is written.
    const specs = parseReporters(values.reporter ?? []);
    const parts = positionals.map((file) => ({ file, report: readResultsFile(file) }));
    const report = mergeReports(parts);
    const written = await writeReports(report, specs, io);
    for (const { name, file } of written) io.stderr(`sixgate merge: ${name}: ${file}\n`);
    return report.results.some((r) => r.status === 'failed' || r.status === 'error') ? 1 : 0;
  },
};

export default merge;
