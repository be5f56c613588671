// What the attribution suites share: a vendor profile built from one of fixtures/fault-images, a
// `sixgate run --profile` of it in dual-stack through the real CLI, its JUnit read back as
// (id, verdict, message) per result, and what that process left on Docker.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CELLS,
  dockerClient,
  ENGINE_CELLS,
  ensureImage,
  isEngineField,
  loadCorpus,
} from '../../harness/index.ts';
import { sixgate as sixgateCli, type CliResult } from '../support/cli.ts';

const FAULT_IMAGES = fileURLToPath(new URL('../../fixtures/fault-images/', import.meta.url));

export const MATRIX_IDS = CELLS.map((c) => c.id);
export const ENGINE_IDS = ENGINE_CELLS.map((c) => c.id);
export const CORPUS_IDS = loadCorpus()
  .filter((c) => isEngineField(c.field))
  .map((c) => `corpus.${c.id}`);
/** `--cell` for every matrix and engine cell: the whole table, without the corpus. */
export const ALL_CELLS = [...MATRIX_IDS, ...ENGINE_IDS].flatMap((id) => ['--cell', id]);

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface JunitCase {
  id: string;
  verdict: Verdict;
  /** The failure's, error's or skip's message attribute, unescaped. */
  message: string;
}

export interface FaultRun extends CliResult {
  cases: JunitCase[];
  /** The run-wide `<property>`s of the first testsuite (run.*, dual-stack.*). */
  properties: Map<string, string>;
  /** The test's own wall time for the whole `sixgate run`, for the report (never asserted). */
  seconds: number;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');

/**
 * `sixgate` as CI calls it, as support/cli.ts does but with a longer limit: a run whose agents
 * never listen waits 30 s on top of a full run, and on a loaded runner that nears 180 s.
 */
const sixgate = (args: string[]) => sixgateCli(args, process.env, { timeoutMs: RUN_LIMIT_MS });

/** How long one `sixgate run` may take here; a test's own limit is this and a minute more. */
export const RUN_LIMIT_MS = 300_000;
export const TEST_LIMIT_MS = RUN_LIMIT_MS + 60_000;

/** The JUnit sixgate wrote, read back by pattern: the writer's layout is known (report/junit.ts). */
export function readJunit(xml: string): Pick<FaultRun, 'cases' | 'properties'> {
  const cases: JunitCase[] = [];
  const testcase = /<testcase\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g;
  for (const [, name, body] of xml.matchAll(testcase)) {
    const m = /<(failure|error|skipped)\b[^>]*?\bmessage="([^"]*)"/.exec(body!);
    const verdict: Verdict =
      m?.[1] === 'failure' ? 'failed' : m?.[1] === 'error' ? 'error' : m ? 'skipped' : 'passed';
    cases.push({ id: unescape(name!), verdict, message: unescape(m?.[2] ?? '') });
  }
  // Run-wide properties sit in the testsuite's own <properties>, before its first testcase.
  const head = /<testsuite\b[\s\S]*?(?=<testcase\b)/.exec(xml)?.[0] ?? '';
  const properties = new Map(
    [...head.matchAll(/<property name="([^"]*)" value="([^"]*)"\/>/g)].map(
      ([, k, v]) => [unescape(k!), unescape(v!)] as const,
    ),
  );
  return { cases, properties };
}

export const idsWith = (cases: JunitCase[], verdict: Verdict) =>
  cases
    .filter((c) => c.verdict === verdict)
    .map((c) => c.id)
    .sort();

export const sorted = (ids: readonly string[]) => [...ids].sort();

/**
 * One suite file's scratch folder and the images its profiles build. Profile names carry the
 * test process's pid, so two test processes on one daemon never share (or remove) an image.
 */
export class FaultImages {
  readonly dir = mkdtempSync(join(tmpdir(), 'sixgate-attribution-'));
  private readonly names: string[] = [];

  /**
   * A profile file whose agent and/or engine is built from a fault image's folder. The folder is
   * copied with its `ARG BASE` given the current sixgate image as default, since sixgate builds
   * a profile's context without build arguments.
   */
  async profile(
    fault: string,
    parts: { agent?: string; engine?: string },
  ): Promise<{ file: string; name: string }> {
    const { tag } = await ensureImage(dockerClient());
    const name = `attr-${fault}-${process.pid}`;
    this.names.push(name);
    const built = new Set(Object.values(parts));
    for (const image of built) {
      const to = join(this.dir, `${name}-${image}`);
      cpSync(join(FAULT_IMAGES, image), to, { recursive: true });
      const dockerfile = join(to, 'Dockerfile');
      const text = readFileSync(dockerfile, 'utf8');
      if (!/^ARG BASE$/m.test(text)) throw new Error(`${image}/Dockerfile has no 'ARG BASE' line`);
      writeFileSync(dockerfile, text.replace(/^ARG BASE$/m, `ARG BASE=${tag}`));
    }
    const file = join(this.dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        name,
        ...(parts.agent ? { agent: { build: `./${name}-${parts.agent}` } } : {}),
        ...(parts.engine ? { engine: { build: `./${name}-${parts.engine}` } } : {}),
      }),
    );
    return { file, name };
  }

  /** `sixgate run --profile FILE --mode dual-stack`, reports in the scratch folder. */
  async run(file: string, extra: string[] = []): Promise<FaultRun> {
    const junit = join(this.dir, `${readdirSync(this.dir).length}.xml`);
    const started = performance.now();
    const r = await sixgate([
      'run',
      '--profile',
      file,
      '--mode',
      'dual-stack',
      '--junit',
      junit,
      '--html',
      junit.replace(/\.xml$/, '.html'),
      ...extra,
    ]);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    let xml = '';
    try {
      xml = readFileSync(junit, 'utf8');
    } catch {
      // No report at all: the assertions on `cases` say so, with the output beside them.
    }
    return { ...r, ...readJunit(xml), seconds };
  }

  /** Removes the scratch folder and the images this file's profiles built (tagged by hash). */
  async dispose(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    const docker = dockerClient();
    const images = await docker.listImages({ filters: { label: ['sixgate.profile-build=1'] } });
    const ours = images.filter((i) =>
      (i.RepoTags ?? []).some((t) => this.names.some((n) => t.startsWith(`sixgate-profile/${n}-`))),
    );
    for (const i of ours)
      await docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

/** Containers and networks a process left on Docker: its owner label starts with `<pid>@`. */
export async function leftovers(pid: number): Promise<string[]> {
  const docker = dockerClient();
  const filters = { label: ['sixgate.owner'] };
  const mine = (labels: Record<string, string> | undefined) =>
    labels?.['sixgate.owner']?.startsWith(`${pid}@`) ?? false;
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [
    ...containers.filter((c) => mine(c.Labels)).map((c) => `container ${c.Names.join(',')}`),
    ...networks.filter((n) => mine(n.Labels)).map((n) => `network ${n.Name}`),
  ];
}

/** A line for the test log: what a run took and how it ended. */
export const timing = (what: string, r: FaultRun) =>
  `[attribution] ${what}: ${r.seconds} s, exit ${r.code}, ${r.cases.length} results`;
