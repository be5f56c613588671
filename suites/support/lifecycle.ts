// What the lifecycle suites observe from outside a run: a `sixgate` child process whose stderr
// is watched line by line (to interrupt it at a chosen phase), the Docker resources a process
// owns by its labels, and the JUnit file it left.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { listRuns, removeRun } from '../../harness/index.ts';
import { CLI } from './cli.ts';

/** A small run that still starts every kind of host: an agent's own host, the peer, the engine. */
export const SMALL_CELLS = ['local.loopback.bracketed', 'peer.ula.bare', 'engine.add-host.ula'];
export const smallCellArgs = () => SMALL_CELLS.flatMap((c) => ['--cell', c]);

export interface SpawnedRun {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once a stderr line matches; rejects (with the stderr so far) after `timeoutMs`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<void>;
  /** How the process ended: `code` null and `signal` set when a signal ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `sixgate ARGS` as a separate process, its output collected. */
export function spawnSixgate(args: string[], env: NodeJS.ProcessEnv = process.env): SpawnedRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<{ re: RegExp; done(): void }>();
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines)
      for (const w of waiters)
        if (w.re.test(line)) {
          waiters.delete(w);
          w.done();
        }
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const waitForLine = (re: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (err.split('\n').some((l) => re.test(l))) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no stderr line matched ${re} within ${timeoutMs} ms; stderr:\n${err}`));
      }, timeoutMs);
      const w = {
        re,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      waiters.add(w);
      void exited.then(() => {
        if (!waiters.has(w)) return;
        waiters.delete(w);
        clearTimeout(timer);
        reject(new Error(`sixgate ended before a stderr line matched ${re}; stderr:\n${err}`));
      });
    });
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    waitForLine,
    exited,
  };
}

const holder = fileURLToPath(new URL('../topology/fixtures/hold-topology.ts', import.meta.url));

/**
 * A crashed run: a process that started a peer-only topology (one container, one network),
 * then was SIGKILLed, so its resources stay labelled with an owner that is gone.
 */
export async function killedRun(): Promise<{ runId: string; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    const [runId] = (await Promise.race([
      once(createInterface({ input: child.stdout! }), 'line'),
      exited.then(() => {
        throw new Error('the topology holder exited before printing its run id');
      }),
    ])) as [string];
    return { runId, pid: child.pid! };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Field 22 of /proc/<pid>/stat: the process start time in clock ticks since boot. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** The `sixgate.owner` label value a live process `pid` of this host would carry. */
export function ownerOf(pid: number): string {
  return `${pid}@${hostname()}#${startTime(pid)}`;
}

export interface Owned {
  /** Container names (without Docker's leading slash). */
  containers: string[];
  networks: string[];
  /** The `sixgate.run` ids found on them. */
  runIds: string[];
}

/** Containers and networks whose `sixgate.owner` names process `pid` of this host. */
export async function ownedBy(docker: Docker, pid: number): Promise<Owned> {
  const prefix = `${pid}@${hostname()}`;
  const mine = (labels: Record<string, string> | undefined) => {
    const owner = labels?.['sixgate.owner'] ?? '';
    return owner === prefix || owner.startsWith(`${prefix}#`);
  };
  const filters = JSON.stringify({ label: ['sixgate.owner'] });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  const c = containers.filter((x) => mine(x.Labels));
  const n = networks.filter((x) => mine(x.Labels));
  return {
    containers: c.map((x) => x.Names[0]!.replace(/^\//, '')),
    networks: n.map((x) => x.Name),
    runIds: [...new Set([...c, ...n].map((x) => x.Labels?.['sixgate.run'] ?? ''))],
  };
}

/** Removes every run owned by these processes: the clean-up after a test that failed midway. */
export async function removeOwned(docker: Docker, pids: number[]): Promise<void> {
  const ids = new Set(
    (await Promise.all(pids.map((p) => ownedBy(docker, p)))).flatMap((o) => o.runIds),
  );
  for (const r of await listRuns(docker)) if (ids.has(r.runId)) await removeRun(docker, r);
}

export interface JunitCase {
  id: string;
  /** The network mode, from the classname `sixgate.matrix.<target>.<mode>`. */
  mode: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  message?: string;
}

export interface Junit {
  /** The run-wide properties (the first testsuite's; every testsuite carries the same). */
  properties: Record<string, string>;
  cases: JunitCase[];
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]!) : undefined;
};

/**
 * Reads sixgate's JUnit file: enough structure for the lifecycle assertions, and a file that
 * does not have it (not XML, no testsuites) throws.
 */
export function readJunit(file: string): Junit {
  const xml = readFileSync(file, 'utf8');
  if (!/^<\?xml [^>]*\?>\s*<testsuites[\s>]/.test(xml) || !xml.trimEnd().endsWith('</testsuites>'))
    throw new Error(`${file} is not a JUnit <testsuites> document:\n${xml.slice(0, 500)}`);
  const properties: Record<string, string> = {};
  const suite = /<testsuite\s[^>]*>\s*<properties>([\s\S]*?)<\/properties>/.exec(xml);
  for (const p of (suite?.[1] ?? '').matchAll(/<property\s[^>]*\/>/g))
    properties[attr(p[0], 'name')!] = attr(p[0], 'value')!;
  const cases: JunitCase[] = [];
  for (const m of xml.matchAll(/<testcase\s[^>]*>([\s\S]*?)<\/testcase>/g)) {
    const open = /<testcase\s[^>]*>/.exec(m[0])![0];
    const body = m[1]!;
    const outcome = /<(failure|error|skipped)\s[^>]*>/.exec(body);
    const status = outcome
      ? ({ failure: 'failed', error: 'error', skipped: 'skipped' } as const)[
          outcome[1] as 'failure' | 'error' | 'skipped'
        ]
      : 'passed';
    const message = outcome ? attr(outcome[0], 'message') : undefined;
    cases.push({
      id: attr(open, 'name')!,
      mode: attr(open, 'classname')!.split('.').pop()!,
      status,
      ...(message === undefined ? {} : { message }),
    });
  }
  return { properties, cases };
}
