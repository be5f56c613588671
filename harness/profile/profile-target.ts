import { MATRIX_AGENTS, type AgentRole, type Target } from '../matrix/agents.ts';
import type { Profile } from './profile.ts';

/** The matrix target a profile describes: its agent plays every agent role, its engine the engine. */
export function profileTarget(profile: Profile): Target {
  const a = profile.agent;
  const override = {
    ...(a?.image ? { image: a.image } : {}),
    ...(a?.program ? { program: a.program } : {}),
    ...(a?.mutualTls === undefined ? {} : { mutualTls: a.mutualTls }),
  };
  return {
    name: profile.name,
    agents: Object.fromEntries(MATRIX_AGENTS.map((s) => [s.key as AgentRole, override])),
    engine: profile.engine ?? {},
  };
}
