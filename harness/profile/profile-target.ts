import { MATRIX_AGENTS, type AgentRole, type Target } from '../matrix/agents.ts';
import type { Profile } from './profile.ts';

/**
 * The matrix target a profile describes: its agent plays every agent role, its engine the engine.
 * Build contexts must already be images (buildProfileImages) by the time a run starts.
 */
export function profileTarget(profile: Profile): Target {
  const a = profile.agent;
  if (a?.build || profile.engine?.build) {
    throw new Error('internal: profileTarget before buildProfileImages');
  }
  const { build: _build, ...engine } = profile.engine ?? {};
  const override = {
    ...(a?.image ? { image: a.image } : {}),
    ...(a?.program ? { program: a.program } : {}),
    ...(a?.mutualTls === undefined ? {} : { mutualTls: a.mutualTls }),
    ...(a?.paths ? { paths: a.paths } : {}),
  };
  return {
    name: profile.name,
    agents: Object.fromEntries(MATRIX_AGENTS.map((s) => [s.key as AgentRole, override])),
    engine,
  };
}
