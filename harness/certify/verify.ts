// What `sixgate verify` checks in a bundle read into memory. First integrity: every file matches
// MANIFEST.sha256 and nothing is unlisted. Then, since anyone can recompute a manifest, internal
// consistency: results.json holds to its schema, the verdict it carries is the one its results
// give (judge, recomputed here), and junit.xml, results.tap and matrix.html say what it says.
// This proves a bundle is whole and agrees with itself — not who made it (docs/certify.md).
import type { CellResult } from '../matrix/result.ts';
import type { RunReport, Verdict } from '../report/contract.ts';
import { readResults } from '../report/results-file.ts';
import { BUNDLE_FILES, BundleError, MANIFEST, parseManifest, sha256 } from './bundle.ts';
import { certificationPlan, judge } from './verdict.ts';

export interface VerifyOutcome {
  /** Every problem found; empty means verified. */
  problems: string[];
  /** The verdict the bundle carries (set once results.json could be read). */
  verdict?: Verdict;
  report?: RunReport;
  /** The sixgate version that made the bundle, from results.json. */
  madeBy?: string;
}

const MAX_LISTED = 10;
const some = (items: string[]) =>
  items.length > MAX_LISTED
    ? `${items.slice(0, MAX_LISTED).join('; ')}; and ${items.length - MAX_LISTED} more`
    : items.join('; ');

/** Files against the manifest: every listed file present and matching, no file unlisted. */
function checkManifest(files: ReadonlyMap<string, Buffer>): string[] {
  const text = files.get(MANIFEST);
  if (text === undefined) throw new BundleError(`no ${MANIFEST}: not a certification bundle`);
  const problems: string[] = [];
  const { entries, bad } = parseManifest(text.toString('utf8'));
  for (const line of bad)
    problems.push(`${MANIFEST}: line ${line} is not '<sha256 in lower-case hex>  <path>'`);
  const listed = new Set<string>();
  for (const e of entries) {
    if (listed.has(e.path)) problems.push(`${MANIFEST}: lists ${e.path} twice`);
    listed.add(e.path);
    const content = files.get(e.path);
    if (content === undefined) problems.push(`${e.path}: listed in ${MANIFEST} but missing`);
    else if (sha256(content) !== e.sha256)
      problems.push(`${e.path}: does not match its SHA-256 in ${MANIFEST}`);
  }
  for (const path of [...files.keys()].sort())
    if (path !== MANIFEST && !listed.has(path)) problems.push(`${path}: not listed in ${MANIFEST}`);
  for (const path of Object.values(BUNDLE_FILES))
    if (!files.has(path) && !listed.has(path)) problems.push(`${path}: missing from the bundle`);
  return problems;
}

type Tally = Record<CellResult['status'], number> & { total: number };

function tally(results: readonly CellResult[]): Tally {
  const t: Tally = { total: results.length, passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of results) t[r.status]++;
  return t;
}

const show = (t: Partial<Tally>) =>
  Object.entries(t)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

/** junit.xml's elements, counted: a testcase per result, a failure, error or skipped in each. */
function checkJunit(xml: string, want: Tally): string[] {
  const n = (tag: string) => xml.match(new RegExp(`<${tag}\\b`, 'g'))?.length ?? 0;
  const got = {
    total: n('testcase'),
    failed: n('failure'),
    error: n('error'),
    skipped: n('skipped'),
  };
  const same = (Object.keys(got) as Array<keyof typeof got>).every((k) => got[k] === want[k]);
  return same
    ? []
    : [
        `junit.xml: ${show(got)} does not agree with results.json (${show({ total: want.total, failed: want.failed, error: want.error, skipped: want.skipped })})`,
      ];
}

/** results.tap's test points: one per result, `id [mode]` with the same outcome. */
function checkTap(tap: string, results: readonly CellResult[]): string[] {
  const outcome = (r: CellResult) =>
    r.status === 'passed' ? 'ok' : r.status === 'skipped' ? 'skipped' : 'not ok';
  const points = new Map<string, string>();
  for (const [, ok, rest] of tap.matchAll(/^(not ok|ok) \d+ - (.*)$/gm)) {
    const skip = / # SKIP\b/.exec(rest!);
    const desc = (skip ? rest!.slice(0, skip.index) : rest!).replace(/\\([\\#])/g, '$1');
    points.set(desc, skip ? 'skipped' : ok!);
  }
  const problems: string[] = [];
  const plan = /^1\.\.(\d+)$/m.exec(tap)?.[1];
  if (plan !== String(results.length))
    problems.push(`results.tap: plans ${plan ?? 'no'} tests; results.json holds ${results.length}`);
  const differ: string[] = [];
  const wanted = new Set<string>();
  for (const r of results) {
    const key = `${r.id} [${r.mode}]`;
    wanted.add(key);
    const got = points.get(key);
    if (got === undefined) differ.push(`no test point for ${key}`);
    else if (got !== outcome(r)) differ.push(`${key} is '${got}', in results.json '${outcome(r)}'`);
  }
  for (const key of points.keys())
    if (!wanted.has(key)) differ.push(`${key} is a test point results.json does not hold`);
  if (differ.length) problems.push(`results.tap disagrees with results.json: ${some(differ)}`);
  return problems;
}

/** matrix.html's first line is the verdict. */
function checkHtml(html: string, verdict: Verdict): string[] {
  const headline = /<h1 id="headline"[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];
  const says = verdict.certified
    ? 'Certified'
    : `Not certified: ${verdict.reasons.length} ${verdict.reasons.length === 1 ? 'reason' : 'reasons'}`;
  return headline === says
    ? []
    : [`matrix.html: its first line says '${headline ?? 'nothing'}', results.json '${says}'`];
}

function parseJson(files: ReadonlyMap<string, Buffer>, path: string, problems: string[]): unknown {
  try {
    return JSON.parse(files.get(path)!.toString('utf8'));
  } catch (err) {
    problems.push(`${path}: not JSON (${(err as Error).message})`);
    return undefined;
  }
}

/** The profile names the target the results are for; environment.json's run is the results' run. */
function checkFacts(files: ReadonlyMap<string, Buffer>, report: RunReport): string[] {
  const problems: string[] = [];
  const profile = parseJson(files, BUNDLE_FILES.profile, problems) as
    { name?: unknown } | undefined;
  const target = report.properties['run.target'];
  if (profile !== undefined && profile?.name !== target)
    problems.push(
      `profile.json: names '${String(profile?.name)}', results.json's target is '${target}'`,
    );
  const env = parseJson(files, BUNDLE_FILES.environment, problems) as
    { run?: { startedAt?: unknown; endedAt?: unknown } } | undefined;
  for (const k of ['startedAt', 'endedAt'] as const) {
    const want = report[k].toISOString();
    if (env !== undefined && env?.run?.[k] !== want)
      problems.push(
        `environment.json: run.${k} is '${String(env?.run?.[k])}', results.json '${want}'`,
      );
  }
  return problems;
}

const sameVerdict = (a: Verdict, b: Verdict) =>
  a.certified === b.certified &&
  a.reasons.length === b.reasons.length &&
  a.reasons.every((r, i) => r === b.reasons[i]);

/** Every check, every problem; a file that fails the manifest is not read further. */
export function verifyFiles(files: ReadonlyMap<string, Buffer>): VerifyOutcome {
  const problems = checkManifest(files);
  if (problems.length) return { problems };
  let report: RunReport;
  try {
    report = readResults(files.get(BUNDLE_FILES.results)!.toString('utf8'), BUNDLE_FILES.results);
  } catch (err) {
    return { problems: [(err as Error).message] };
  }
  const madeBy = report.properties['run.sixgate'];
  const carried = report.verdict;
  if (!carried) return { problems: ['results.json: carries no verdict'], report, madeBy };
  const recomputed = judge(report, certificationPlan());
  if (!sameVerdict(carried, recomputed)) {
    const only = (a: Verdict, b: Verdict) => a.reasons.filter((r) => !b.reasons.includes(r));
    const name = (v: Verdict) => (v.certified ? 'certified' : 'not certified');
    problems.push(
      `results.json: its verdict (${name(carried)}) is not what its results give (${name(recomputed)})` +
        [
          ...only(recomputed, carried).map((r) => `; not stated: ${r}`),
          ...only(carried, recomputed).map((r) => `; not supported: ${r}`),
        ].join(''),
    );
  }
  const t = tally(report.results);
  problems.push(
    ...checkJunit(files.get(BUNDLE_FILES.junit)!.toString('utf8'), t),
    ...checkTap(files.get(BUNDLE_FILES.tap)!.toString('utf8'), report.results),
    ...checkHtml(files.get(BUNDLE_FILES.html)!.toString('utf8'), carried),
    ...checkFacts(files, report),
  );
  return { problems, verdict: carried, report, ...(madeBy ? { madeBy } : {}) };
}
