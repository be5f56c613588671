// A bench-only driver of the run core (through harness/index.ts, as a suite would): one
// dual-stack Docker topology, then either the matrix's cells repeated to a given count against
// the matrix's agents, or the six documented cells against each of a given number of agents.
// Kept out of the user's CLI on purpose; the scaling bench runs it as a whole process:
//   node --import tsx harness/bench/scale.ts --cells 60 | --agents 4
// and it prints one JSON line: phase times, cell counts by status.
import { parseArgs } from 'node:util';
import {
  agentSpecsFor,
  CELLS,
  REFERENCE_TARGET,
  rolesOf,
  runMatrix,
  startTopology,
  UsageError,
  type AgentSpec,
  type Cell,
  type CellResult,
} from '../index.ts';
import { SIX_CELLS } from './floor.bench.ts';
import { runIfMain } from './script.ts';

/** Cells in flight at once across all hosts, as one `sixgate run` has. */
const CONCURRENCY = 8;

export interface ScaleResult {
  agents: number;
  cells: number;
  startMs: number;
  cellsMs: number;
  downMs: number;
  statuses: Record<string, number>;
}

/** The cell set repeated (and cut) to `count` cells. */
export function repeatCells(count: number): Cell[] {
  return Array.from({ length: count }, (_, i) => CELLS[i % CELLS.length]!);
}

export async function runScale(o: { cells: number } | { agents: number }): Promise<ScaleResult> {
  const six = CELLS.filter((c) => SIX_CELLS.includes(c.id));
  const hosts = 'agents' in o ? Array.from({ length: o.agents }, (_, i) => `h${i + 1}`) : [];
  const agents: AgentSpec[] =
    'agents' in o
      ? hosts.map((h) => ({
          key: `${h}.wildcard`,
          managementIp: '::',
          managementPort: 54321,
          mutualTls: true,
        }))
      : agentSpecsFor(REFERENCE_TARGET, rolesOf(CELLS));
  let t = performance.now();
  const lap = () => {
    const d = Math.round(performance.now() - t);
    t = performance.now();
    return d;
  };
  const topology = await startTopology({ mode: 'dual-stack', provider: 'docker', agents });
  const startMs = lap();
  let results: CellResult[] = [];
  let cellsMs = 0;
  try {
    if ('agents' in o) {
      const per = Math.max(1, Math.ceil(CONCURRENCY / hosts.length));
      const each = await Promise.all(
        hosts.map((name) =>
          runMatrix(topology, { target: { name }, cells: six, concurrency: per }),
        ),
      );
      results = each.flat();
    } else {
      results = await runMatrix(topology, {
        cells: repeatCells(o.cells),
        concurrency: CONCURRENCY,
      });
    }
    cellsMs = lap();
  } finally {
    await topology.down();
  }
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    agents: agents.length,
    cells: results.length,
    startMs,
    cellsMs,
    downMs: lap(),
    statuses,
  };
}

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cells: { type: 'string' }, agents: { type: 'string' } },
  });
  const n = Number(values.cells ?? values.agents);
  if (
    (values.cells === undefined) === (values.agents === undefined) ||
    !Number.isInteger(n) ||
    n < 1 ||
    n > 64 * CELLS.length
  ) {
    throw new UsageError('usage: scale.ts --cells N | --agents N (a positive whole number)');
  }
  const r = await runScale(values.cells !== undefined ? { cells: n } : { agents: n });
  process.stdout.write(`${JSON.stringify(r)}\n`);
  // A bench of a broken run measures the wrong thing: say so by the exit code.
  return (r.statuses.failed ?? 0) + (r.statuses.error ?? 0) === 0 ? 0 : 1;
}

runIfMain(import.meta.url, cli);
