// The reporters by name, the repeatable `--reporter NAME[=FILE]` flag, and writing the chosen
// ones. Adding a format is one file exporting a Reporter and one line in REPORTERS.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Io } from '../cli/command.ts';
import { didYouMean } from '../cli/suggest.ts';
import { SixgateError, UsageError } from '../errors/index.ts';
import type { Reporter, RunReport } from './contract.ts';
import { githubReporter } from './github.ts';
import { toHtml } from './html.ts';
import { jsonReporter } from './json.ts';
import { junitReporter } from './junit.ts';
import { summarize } from './summary.ts';
import { tapReporter } from './tap.ts';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  console: { name: 'console', render: (report) => summarize(report.results) },
  junit: junitReporter,
  html: { name: 'html', defaultFile: 'reports/matrix.html', render: toHtml },
  // A file by default: on stdout the progress lines of a CI log would be mixed into the stream.
  tap: tapReporter,
  json: jsonReporter,
  github: githubReporter,
};

/** What `sixgate run` writes when no --reporter is given. */
export const DEFAULT_REPORTERS = ['console', 'junit', 'html'] as const;

/** `=-` sends a reporter that writes a file by default to stdout instead. */
export const STDOUT = '-';

/** A report that could not be written where it was asked to go. */
export class ReportWriteError extends SixgateError {
  constructor(name: string, file: string, cause: unknown) {
    super(
      'SIXGATE_REPORT_WRITE',
      `cannot write the ${name} report to ${file}: ${(cause as Error).message}`,
      {
        cause,
        hint: 'check that the folder is writable, or choose another file with --reporter NAME=FILE',
        exitCode: 2,
      },
    );
  }
}

const isDirectory = (file: string) => {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
};

export interface ReporterSpec {
  reporter: Reporter;
  /** undefined: stdout. */
  file?: string;
}

/**
 * The `--reporter` values as typed (`junit`, `tap=out/run.tap`, `json=-`); none gives the
 * defaults. An unknown name, an empty file and two reporters writing one file are usage errors.
 */
export function parseReporters(values: readonly string[]): ReporterSpec[] {
  const typed = values.length ? values : DEFAULT_REPORTERS;
  const names = Object.keys(REPORTERS);
  const byFile = new Map<string, string>();
  return typed.map((value) => {
    const eq = value.indexOf('=');
    const name = eq < 0 ? value : value.slice(0, eq);
    const reporter = REPORTERS[name];
    if (!reporter)
      throw new UsageError(
        `--reporter: no reporter named '${name}'${didYouMean(name, names)} (known: ${names.join(', ')})`,
        { hint: 'use --reporter NAME or --reporter NAME=FILE; repeat it for several' },
      );
    const file = eq < 0 ? reporter.defaultFile : value.slice(eq + 1);
    if (file === '')
      throw new UsageError(`--reporter ${name}=: the file is empty`, {
        hint: `give a file, or '${name}=${STDOUT}' for stdout`,
      });
    if (file === undefined || file === STDOUT) return { reporter };
    if (isDirectory(file))
      throw new UsageError(`--reporter ${value}: ${file} is a directory`, {
        hint: `name a file in it, e.g. ${name}=${join(file, basename(reporter.defaultFile ?? `${name}.out`))}`,
      });
    const key = resolve(file);
    const other = byFile.get(key);
    if (other !== undefined)
      throw new UsageError(`--reporter: ${other} and ${value} would both write ${file}`, {
        hint: `give one of them another file: --reporter ${name}=FILE`,
      });
    byFile.set(key, value);
    return { reporter, file };
  });
}

/**
 * Renders every reporter first, so a reporter that throws leaves no report half-written, then
 * writes each: a file (its folder made; written aside and renamed, so a reader never sees part
 * of one) or stdout, in the order given. Returns the files written.
 */
export async function writeReports(
  report: RunReport,
  specs: readonly ReporterSpec[],
  io: Pick<Io, 'stdout'>,
): Promise<{ name: string; file: string }[]> {
  const rendered = specs.map((s) => ({ ...s, text: s.reporter.render(report) }));
  const written: { name: string; file: string }[] = [];
  for (const { reporter, file, text } of rendered) {
    if (file === undefined) {
      io.stdout(text);
      continue;
    }
    const aside = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(aside, text);
      await rename(aside, file);
    } catch (err) {
      await rm(aside, { force: true });
      throw new ReportWriteError(reporter.name, file, err);
    }
    written.push({ name: reporter.name, file });
  }
  return written;
}
