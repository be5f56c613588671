import type { AgentSpec, EngineSpec } from '../providers/contract.ts';

/**
 * The agent configurations the matrix needs. Each is one container (or host process) shared by
 * every cell that uses it, so the matrix pays for five agents, not one per cell, and a run only
 * for the roles its cells use.
 */
export const MATRIX_AGENTS: readonly AgentSpec[] = [
  { key: 'wildcard', managementIp: '::', managementPort: 54321, mutualTls: true },
  { key: 'ipv4-any', managementIp: '0.0.0.0', managementPort: 54321, mutualTls: true },
  { key: 'ula', managementIp: '@ula', managementPort: 54321, mutualTls: true },
  { key: 'alt-port', managementIp: '::', managementPort: 54322, mutualTls: true },
  // Its management_ip is added to its host only after it started, with DAD on (docs/dad.md).
  { key: 'tentative', managementIp: '@tentative', managementPort: 54321, mutualTls: true },
];

export type AgentRole = 'wildcard' | 'ipv4-any' | 'ula' | 'alt-port' | 'tentative';

/**
 * A target under test: which program or image plays each agent role. The reference target is
 * the reference agent everywhere; a broken target swaps one role's program (or certificate).
 */
export interface Target {
  name: string;
  /** Overrides applied to the matrix agent of each role. */
  agents?: Partial<Record<AgentRole, Partial<Omit<AgentSpec, 'key'>>>>;
  /** The engine the deployment cells run from, on providers that can start one. */
  engine?: EngineSpec;
}

export const REFERENCE_TARGET: Target = { name: 'reference' };

/** The agent specs a target needs, keyed `<target>.<role>` unless it is the reference. */
export function agentSpecsFor(target: Target, roles: readonly AgentRole[]): AgentSpec[] {
  return MATRIX_AGENTS.filter((a) => roles.includes(a.key as AgentRole)).map((a) => ({
    ...a,
    ...target.agents?.[a.key as AgentRole],
    key: agentKey(target, a.key as AgentRole),
  }));
}

export function agentKey(target: Target, role: AgentRole): string {
  return target.name === REFERENCE_TARGET.name ? role : `${target.name}.${role}`;
}
