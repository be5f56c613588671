// Reading results.json back: `sixgate merge`, `sixgate verify` and certify's own check read
// results this way and no other.
//   readResults(text, file) results.json text → RunReport, checked against the shipped schema
//                           and for consistency (totals, times, one result per id and mode)
//   readResultsFile(path)   the same from a file, read with a size bound
// Bad input throws ResultsFileError (SIXGATE_RESULTS, exit 2) naming the file, the JSON path and
// the rule.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { RunReport } from './contract.ts';
import {
  RESULTS_SCHEMA_FILE,
  RESULTS_MAX_BYTES,
  ResultsFileError,
  STATUSES,
  type ResultsDocument,
} from './json.ts';

let validator: ValidateFunction | undefined;

/** The schema as shipped, compiled once (the same file a vendor's own tools validate with). */
function validate(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(join(PACKAGE_ROOT, RESULTS_SCHEMA_FILE), 'utf8'),
    ) as object;
    validator = new Ajv2020({ allErrors: false, strict: true }).compile(schema);
  }
  return validator;
}

/** `/results/3/status` → `results[3].status`, as a person reads a path. */
function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  const path = parts
    .map((p) =>
      /^\d+$/.test(p)
        ? `[${p}]`
        : /^[A-Za-z_$][\w$]*$/.test(p)
          ? `.${p}`
          : `[${JSON.stringify(p)}]`,
    )
    .join('')
    .replace(/^\./, '');
  return path || '(document)';
}

/** An ajv error as `path rule`, in the words the rest of sixgate uses for config errors. */
function describe(e: ErrorObject): [string, string] {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [jsonPath(e.instancePath, String(p.missingProperty)), 'is required'];
    case 'additionalProperties':
      return [
        jsonPath(e.instancePath, String(p.additionalProperty)),
        'is not a known field of this format',
      ];
    case 'enum':
      return [
        jsonPath(e.instancePath),
        `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      ];
    case 'const':
      return [jsonPath(e.instancePath), `must be ${JSON.stringify(p.allowedValue)}`];
    default:
      return [jsonPath(e.instancePath), e.message ?? `breaks the schema's ${e.keyword} rule`];
  }
}

/** What the schema cannot say: totals that add up, times in order, one result per id and mode. */
function checkConsistency(doc: ResultsDocument, fail: (path: string, rule: string) => never) {
  for (const s of STATUSES) {
    const n = doc.results.filter((r) => r.status === s).length;
    if (doc.totals[s] !== n)
      fail(`totals.${s}`, `must equal the number of ${s} results (${n}); it is ${doc.totals[s]}`);
  }
  if (doc.totals.total !== doc.results.length)
    fail(
      'totals.total',
      `must equal the number of results (${doc.results.length}); it is ${doc.totals.total}`,
    );
  const started = Date.parse(doc.startedAt);
  const ended = Date.parse(doc.endedAt);
  if (Number.isNaN(started)) fail('startedAt', 'is not a real date and time');
  if (Number.isNaN(ended)) fail('endedAt', 'is not a real date and time');
  if (ended < started) fail('endedAt', `must not be before startedAt (${doc.startedAt})`);
  const version = doc.properties['run.sixgate'];
  if (version !== undefined && version !== doc.sixgate)
    fail('properties["run.sixgate"]', `must equal sixgate (${doc.sixgate}); it is ${version}`);
  const seen = new Map<string, number>();
  doc.results.forEach((r, i) => {
    const key = `${r.mode}\u0000${r.id}`;
    const first = seen.get(key);
    if (first !== undefined)
      fail(`results[${i}]`, `repeats id ${r.id} in mode ${r.mode} (first at results[${first}])`);
    seen.set(key, i);
  });
}

/**
 * Parses and validates results.json text; `file` names it in errors. Returns the report with its
 * Dates restored and `run.sixgate` set from the document.
 */
export function readResults(text: string, file: string): RunReport {
  const fail = (path: string, rule: string, cause?: unknown): never => {
    throw new ResultsFileError(file, path, rule, cause === undefined ? {} : { cause });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail('(file)', `is not JSON: ${(err as Error).message}`, err);
  }
  const check = validate();
  if (!check(raw)) {
    const [path, rule] = describe(check.errors![0]!);
    fail(path, rule);
  }
  const doc = raw as ResultsDocument;
  checkConsistency(doc, fail);
  return {
    results: doc.results.map((r) => ({ ...r })),
    properties: { ...doc.properties, 'run.sixgate': doc.sixgate },
    startedAt: new Date(doc.startedAt),
    endedAt: new Date(doc.endedAt),
    selection: doc.selection,
    ...(doc.verdict ? { verdict: doc.verdict } : {}),
  };
}

/**
 * A results file, read with a bound: opened without blocking (a FIFO with no writer would hang)
 * and refused unless it is a regular file of at most RESULTS_MAX_BYTES.
 */
export function readResultsFile(file: string, maxBytes = RESULTS_MAX_BYTES): RunReport {
  const fail = (rule: string, cause?: unknown): never => {
    throw new ResultsFileError(file, '(file)', rule, cause === undefined ? {} : { cause });
  };
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    fail(`cannot be read: ${(err as Error).message}`, err);
  }
  let text: string;
  try {
    const st = fstatSync(fd!);
    if (!st.isFile()) fail('must be a regular file');
    const tooLarge = `must be at most ${maxBytes} bytes`;
    if (st.size > maxBytes) fail(`${tooLarge}; it has ${st.size}`);
    // One byte more than the size tells a file that grew since fstat.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd!, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > st.size) fail(`grew while it was read (${st.size} bytes when opened)`);
    text = buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof ResultsFileError) throw err;
    fail(`cannot be read: ${(err as Error).message}`, err);
  } finally {
    closeSync(fd!);
  }
  return readResults(text!, file);
}
