// What the selected cells need from a topology — which agent hosts, whether an engine, whether
// addresses must have left DAD — so a run (or `sixgate up`) starts only that; and the
// job's hook for `--on RUN-ID`, which checks a kept run offers it and starts nothing.
import { UsageError } from '../errors/index.ts';
import type { RunOwner } from '../lifecycle/index.ts';
import {
  agentSpecsFor,
  type AgentRole,
  REFERENCE_TARGET,
  rolesOf,
  TARGETS,
  type Target,
} from '../matrix/index.ts';
import type { AgentSpec, StartedTopology } from '../providers/contract.ts';
import type { ProviderChoice, StartedFor } from '../providers/index.ts';
import type { Selection } from './select.ts';

export interface TopologyNeeds {
  roles: AgentRole[];
  /** Engine cells and the corpus go through an engine; matrix cells never do. */
  engine: boolean;
  /**
   * Only a cell that dials a link-local address (the ULAs are `nodad`), or one that declares
   * `dad` (an address added tentative after start), waits for DAD.
   */
  dad: boolean;
  /** A cell run from another host than its agent's (the engine's, or a probe host in its place). */
  peer: boolean;
}

export function needsOf(sel: Selection): TopologyNeeds {
  return {
    roles: [...new Set([...rolesOf(sel.cells), ...sel.engineCells.flatMap((c) => c.roles)])],
    engine: sel.engineCells.length > 0 || sel.corpus.size > 0,
    // Engine cells declare no facilities; one of them adds a host by link-local: wait for them.
    dad:
      sel.cells.some((c) => c.needs?.some((n) => n === 'link-local' || n === 'dad')) ||
      sel.engineCells.length > 0,
    peer: sel.cells.some((c) => c.from === 'peer'),
  };
}

/** The agents a topology starts for a target: the target's, and the control arm's beside them. */
export function agentsFor(target: Target, roles: AgentRole[], control: boolean): AgentSpec[] {
  return [
    ...agentSpecsFor(target, roles),
    ...(control ? agentSpecsFor(REFERENCE_TARGET, roles) : []),
  ];
}

/** What a kept run records about its target, so `run --on` runs the same target. */
export function startedFor(target: Target, control: boolean, cells: string[] = []): StartedFor {
  return {
    target: target.name,
    ...(TARGETS.includes(target) ? {} : { spec: target }),
    ...(control ? { control } : {}),
    ...(cells.length ? { cells } : {}),
  };
}

/**
 * `--on RUN-ID`: the kept run, with the target it was started for. The selected cells must find
 * their hosts (and an engine) in it; a run that did not wait for DAD waits now when a
 * link-local cell is selected (a no-op once DAD is long over).
 */
export async function onKeptRun(
  runId: string,
  o: {
    target?: string;
    profile?: string;
    provider?: ProviderChoice;
    selection: Selection;
    owner: RunOwner;
  },
): Promise<{ topology: StartedTopology; target: Target; control: boolean; why: string }> {
  if (o.target !== undefined || o.profile !== undefined) {
    throw new UsageError(
      `--on runs the target run ${runId} was started for; drop ${o.target !== undefined ? '--target' : '--profile'}`,
    );
  }
  const { attachTopology } = await import('../providers/index.ts');
  const {
    topology,
    startedFor: about,
    dadAwaited,
    why,
  } = await o.owner.race(attachTopology(runId, o.owner, o.provider));
  try {
    const name = about?.target ?? REFERENCE_TARGET.name;
    const target =
      TARGETS.find((t) => t.name === name) ??
      (about?.spec as Target | undefined) ??
      REFERENCE_TARGET;
    const control = about?.control === true;
    const needs = needsOf(o.selection);
    const missing = [
      ...agentsFor(target, needs.roles, control)
        .map((a) => a.key)
        .filter((k) => !topology.hosts.has(k)),
      ...(needs.engine && !topology.engine ? ['engine'] : []),
    ];
    if (missing.length) {
      const up = about?.cells?.length ? ` (it was started for ${about.cells.join(' ')})` : '';
      throw new UsageError(
        `run ${runId} has no ${missing.join(', ')} host${missing.length > 1 ? 's' : ''}, which the selected cells need${up}`,
        {
          hint: `start one for these cells: sixgate up --cell … (or sixgate up with no --cell: every host)`,
        },
      );
    }
    if (needs.dad && !dadAwaited) {
      await o.owner.race(
        Promise.all(
          [...topology.hosts.values()].map((h) =>
            h.probe.request({ op: 'wait-dad', timeoutMs: 10_000 }),
          ),
        ),
      );
    }
    return { topology, target, control, why };
  } catch (err) {
    await topology.down();
    throw err;
  }
}
