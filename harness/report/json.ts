// results.json: the run as data, one record per cell and corpus case, in the format that
// schemas/results.schema.json (JSON Schema 2020-12, shipped in the package) defines.
//
// renderJson(report) is RunReport → results.json text (the `json` reporter); reading one back
// is results-file.ts, apart, so a run that only writes never loads the schema validator.
import { sixgateVersion } from '../cli/version.ts';
import { SixgateError } from '../errors/index.ts';
import type { CellResult, CellStatus } from '../matrix/result.ts';
import type { Reporter, RunReport, RunSelection } from './contract.ts';
import { bounded } from './xml.ts';

/** The schema's `$id`; every results.json names it as its `$schema`. */
export const RESULTS_SCHEMA_ID = 'urn:sixgate:schema:results:1';
export const RESULTS_FORMAT = 1;
/** Where the schema ships, relative to the package root. */
export const RESULTS_SCHEMA_FILE = 'schemas/results.schema.json';
/** The most a results file may be: a whole vendor run is a few MB; this bounds a hostile one. */
export const RESULTS_MAX_BYTES = 64 * 1024 * 1024;

/** A results file that cannot be read or does not hold to the format. Exit code 2. */
export class ResultsFileError extends SixgateError {
  readonly file: string;
  /** Where in the document, as `results[3].status`; `(file)` for the file as a whole. */
  readonly path: string;
  readonly rule: string;
  constructor(file: string, path: string, rule: string, options: { cause?: unknown } = {}) {
    super('SIXGATE_RESULTS', `${file}: ${path} ${rule}`, {
      ...options,
      hint: `a results file is what 'sixgate run --reporter json=FILE' writes; its format is ${RESULTS_SCHEMA_FILE} in the sixgate package`,
      exitCode: 2,
    });
    this.file = file;
    this.path = path;
    this.rule = rule;
  }
}

export const STATUSES: readonly CellStatus[] = ['passed', 'failed', 'error', 'skipped'];

export interface ResultsDocument {
  $schema: string;
  format: number;
  sixgate: string;
  startedAt: string;
  endedAt: string;
  selection: RunSelection;
  properties: Record<string, string>;
  verdict?: { certified: boolean; reasons: string[] };
  totals: Record<CellStatus | 'total', number>;
  /** A CellResult but its RPC outcome, which the other fields already tell. */
  results: Omit<CellResult, 'outcome'>[];
}

/** One record per result, in the schema's field order; what the format does not carry is left out. */
function record(result: CellResult): ResultsDocument['results'][number] {
  const r = bounded(result);
  const optional = <K extends keyof CellResult>(k: K) => (r[k] === undefined ? {} : { [k]: r[k] });
  return {
    id: r.id,
    title: r.title,
    source: r.source,
    target: r.target,
    mode: r.mode,
    status: r.status,
    expected: r.expected,
    ...optional('observed'),
    ...optional('message'),
    ...optional('spec'),
    ...optional('identity'),
    durationMs: r.durationMs,
    repro: r.repro,
    properties: r.properties,
    ...optional('group'),
    ...optional('diagnostics'),
  };
}

/** results.json for a report. Texts a target filled are capped as in every other report. */
export function renderJson(report: RunReport): string {
  const totals = Object.fromEntries(
    STATUSES.map((s) => [s, report.results.filter((r) => r.status === s).length]),
  ) as Record<CellStatus, number>;
  const doc: ResultsDocument = {
    $schema: RESULTS_SCHEMA_ID,
    format: RESULTS_FORMAT,
    sixgate: report.properties['run.sixgate'] ?? sixgateVersion(),
    startedAt: report.startedAt.toISOString(),
    endedAt: report.endedAt.toISOString(),
    selection: report.selection,
    properties: report.properties,
    ...(report.verdict ? { verdict: report.verdict } : {}),
    totals: { ...totals, total: report.results.length },
    results: report.results.map(record),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const jsonReporter: Reporter = {
  name: 'json',
  defaultFile: 'reports/results.json',
  render: renderJson,
};
