import { NETWORK_MODES, type StartedHost, type StartedTopology } from '../providers/contract.ts';
import {
  agentKey,
  type AgentRole,
  MATRIX_AGENTS,
  REFERENCE_TARGET,
  type Target,
} from './agents.ts';
import { type Cell, type CellContext, isUnformable } from './cell.ts';
import { CELLS } from './cells.ts';
import { TARGETS } from './targets.ts';
import {
  checkCall,
  checkCapabilities,
  checkListeners,
  checkListensOn,
  describeExpectation,
  describeOutcome,
} from './check.ts';
import { collectDiagnostics } from './diagnostics.ts';
import type { CellResult } from './result.ts';

/** How long a cell on an address that was tentative waits for DAD there to end. */
const DAD_TIMEOUT_MS = 10_000;

export interface MatrixOptions {
  target?: Target;
  cells?: readonly Cell[];
  /** Cells run at once; the probes answer concurrently. @default 8 */
  concurrency?: number;
  /** Per-call limit inside the probe. @default 5000 */
  callTimeoutMs?: number;
  /** Extra arguments `sixgate run` needs to recreate this run (the provider). */
  rerunArgs?: string[];
  /** Called as each cell finishes, so an interrupted run still reports what finished. */
  onResult?: (result: CellResult) => void;
  /** Once aborted, no further cell starts. */
  signal?: AbortSignal;
}

/** The agent roles the given cells use: what the topology must start. */
export function rolesOf(cells: readonly Cell[]): AgentRole[] {
  return [...new Set(cells.map((c) => c.role))];
}

function hostFor(topology: StartedTopology, key: string): StartedHost {
  const host = topology.hosts.get(key);
  if (!host) throw new Error(`the topology has no host '${key}'`);
  return host;
}

async function runCell(
  topology: StartedTopology,
  cell: Cell,
  opts: Required<Omit<MatrixOptions, 'cells' | 'onResult' | 'signal'>>,
): Promise<CellResult> {
  const started = performance.now();
  const { target } = opts;
  const expectation = cell.expect(topology.mode);
  const base = {
    id: cell.id,
    title: cell.title,
    source: cell.source,
    target: target.name,
    mode: topology.mode,
    expected: describeExpectation(expectation),
    repro: [
      [
        `sixgate run --cell ${cell.id} --mode ${topology.mode}`,
        // A named target is re-run by its name; a profile's target by `--profile` in rerunArgs.
        ...(target !== REFERENCE_TARGET && TARGETS.includes(target)
          ? [`--target ${target.name}`]
          : []),
        ...opts.rerunArgs,
        '--keep',
      ].join(' '),
    ],
    properties: {
      'cell.source': cell.source,
      'cell.from': cell.from,
      'cell.role': cell.role,
      'cell.mode': topology.mode,
      'cell.target': target.name,
      'cell.expected': describeExpectation(expectation),
    } as Record<string, string>,
  };
  const done = (r: Partial<CellResult> & Pick<CellResult, 'status'>): CellResult => ({
    ...base,
    ...r,
    durationMs: Math.round(performance.now() - started),
  });

  const skipReason = cell.notIn?.[topology.mode] ?? unavailable(topology, cell, target);
  if (skipReason) return done({ status: 'skipped', message: skipReason });

  // A target host that never came up is the target's failure on every cell that needs it.
  const startFailure = topology.failed?.get(agentKey(target, cell.role));
  if (startFailure) {
    return done({
      status: 'failed',
      message: `the ${cell.role} agent did not start: ${startFailure}`,
    });
  }
  let ctx: CellContext;
  let client: StartedHost;
  try {
    const key = agentKey(target, cell.role);
    const agent = hostFor(topology, key);
    const agentSpec = {
      ...MATRIX_AGENTS.find((a) => a.key === cell.role)!,
      ...target.agents?.[cell.role],
      key,
    };
    // Deployment cells run where the engine runs: its namespace when the run has an engine,
    // otherwise a plain probe host standing in its place.
    // A run whose cells are all on agent hosts starts no peer: looked up only when used.
    ctx = {
      mode: topology.mode,
      agent,
      agentSpec,
      get peer() {
        return topology.hosts.get('engine') ?? hostFor(topology, 'peer');
      },
    };
    client = cell.from === 'peer' ? ctx.peer : agent;
  } catch (err) {
    return done({ status: 'error', message: (err as Error).message });
  }

  if (cell.withoutClientCert && !ctx.agentSpec.mutualTls) {
    return done({ status: 'skipped', message: 'the target does not claim mutual TLS' });
  }
  const spec = cell.spec(ctx);
  if (isUnformable(spec)) return done({ status: 'skipped', message: spec.skip });
  const identity = cell.identity?.(ctx);
  base.properties['cell.spec'] = spec;
  base.properties['cell.client'] = client.name;
  if (identity) base.properties['cell.identity'] = identity;
  const rpc = cell.call?.(ctx) ?? { method: 'getVdsCapabilities', params: [] };
  const argv = [
    '-s',
    ...(identity ? ['--identity', identity] : []),
    spec,
    rpc.method === 'getVdsCapabilities' ? 'getVdsCaps' : rpc.method,
    ...rpc.params.map((p) => JSON.stringify(p)),
  ];
  if (client.clientCommand) base.repro.push(client.clientCommand(argv));

  try {
    let problem: string | undefined;
    let observed: string;
    let outcome;
    if (expectation.kind === 'listens') {
      const listeners = await ctx.agent.probe.request({ op: 'listeners' });
      problem = checkListeners(expectation.display, listeners);
      observed = listeners.map((l) => l.display).join(', ');
    } else {
      // The address was tentative when the agent started; the call is made on a settled one.
      if (expectation.kind === 'listens-on-management-ip') {
        await ctx.agent.probe.request({ op: 'wait-dad', timeoutMs: DAD_TIMEOUT_MS });
      }
      const attempt = async (timeoutMs: number) => {
        const o = await client.probe.request({
          op: 'call',
          request: {
            target: spec,
            method: rpc.method,
            params: rpc.params,
            tls: { ...tlsFor(topology, ctx, cell), ...(identity ? { identity } : {}) },
            timeoutMs,
          },
        });
        const p =
          expectation.kind === 'reports-addresses'
            ? checkCapabilities(o, ctx.agent)
            : checkCall(expectation, o);
        return { o, p };
      };
      let tried = await attempt(opts.callTimeoutMs);
      // A timeout is not a verdict until it is shown to be the target's: on a loaded machine the
      // call gets once more with twice the limit, and the report says so.
      if (tried.p && !tried.o.ok && tried.o.failure === 'timeout') {
        base.properties['cell.retried'] =
          `timed out after ${opts.callTimeoutMs} ms; tried again with ${2 * opts.callTimeoutMs} ms`;
        tried = await attempt(2 * opts.callTimeoutMs);
      }
      outcome = tried.o;
      problem = tried.p;
      observed = describeOutcome(outcome);
      if (!problem && expectation.kind === 'listens-on-management-ip') {
        const listeners = await ctx.agent.probe.request({ op: 'listeners' });
        // The spec was formed from it, so it is there.
        problem = checkListensOn(ctx.agent.managementIp!, ctx.agentSpec.managementPort, listeners);
        observed += `; listening on ${listeners.map((l) => l.display).join(', ')}`;
      }
      if (outcome.identity) {
        base.properties['cell.identity-checked'] =
          `${outcome.identity.kind}:${outcome.identity.value}`;
      }
    }
    base.properties['cell.observed'] = observed;
    if (!problem) return done({ status: 'passed', spec, identity, observed, outcome });
    const diagnostics = await collectDiagnostics(ctx, client, spec);
    return done({
      status: 'failed',
      message: problem,
      spec,
      identity,
      observed,
      outcome,
      diagnostics,
    });
  } catch (err) {
    const diagnostics = await collectDiagnostics(ctx, client, spec);
    return done({
      status: 'error',
      message: `harness error: ${(err as Error).message}`,
      spec,
      diagnostics,
    });
  }
}

/** What the provider said this host cannot offer, when the cell needs it: a skip with the remedy. */
function unavailable(topology: StartedTopology, cell: Cell, target: Target): string | undefined {
  const key = agentKey(target, cell.role);
  const hit = topology.unavailable?.find(
    (u) =>
      u.what === 'ipv6' ||
      (u.what === 'ipv6-only' && !NETWORK_MODES[topology.mode].ipv4) ||
      u.what === `agent:${key}` ||
      cell.needs?.includes(u.what),
  );
  return hit && `${hit.what} is not available here: ${hit.remedy}`;
}

function tlsFor(topology: StartedTopology, ctx: CellContext, cell: Cell) {
  return ctx.agentSpec.mutualTls && !cell.withoutClientCert
    ? { ca: topology.tls.ca, cert: topology.tls.clientCert, key: topology.tls.clientKey }
    : { ca: topology.tls.ca };
}

/** Cells that never ran because the harness broke first: one `error` result each, with why. */
export function unrunCells(
  cells: ReadonlyArray<{ id: string; title: string; source: string; expected: string }>,
  at: { mode: StartedTopology['mode']; target: Target },
  why: string,
): CellResult[] {
  return cells.map((cell) => ({
    id: cell.id,
    title: cell.title,
    source: cell.source,
    target: at.target.name,
    mode: at.mode,
    status: 'error',
    message: `the ${at.mode} topology did not start: ${why}`,
    expected: cell.expected,
    durationMs: 0,
    repro: [],
    properties: { 'cell.source': cell.source, 'cell.mode': at.mode, 'cell.target': at.target.name },
  }));
}

/** Runs the cells against a started topology; never throws for a target's misbehaviour. */
export async function runMatrix(
  topology: StartedTopology,
  options: MatrixOptions = {},
): Promise<CellResult[]> {
  const cells = options.cells ?? CELLS;
  const { onResult, signal, ...rest } = options;
  const opts = {
    target: rest.target ?? REFERENCE_TARGET,
    concurrency: rest.concurrency ?? 8,
    callTimeoutMs: rest.callTimeoutMs ?? 5000,
    rerunArgs: rest.rerunArgs ?? [],
  };
  const results: CellResult[] = new Array(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length && !signal?.aborted) {
      const i = next++;
      results[i] = await runCell(topology, cells[i]!, opts);
      onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, cells.length) }, worker));
  return results.filter((r) => r !== undefined);
}
