import { UsageError } from '../errors/index.ts';
import { REFERENCE_TARGET, type Target } from './agents.ts';

/**
 * Targets the matrix knows by name: the reference, and the deliberately broken agents kept with
 * the fixtures, which prove that the matrix fails a broken target on the right cells.
 */
export const TARGETS: readonly Target[] = [
  REFERENCE_TARGET,
  { name: 'broken-ipv4-only', agents: { wildcard: { program: 'agent-ipv4-only' } } },
  { name: 'broken-v6only', agents: { wildcard: { program: 'agent-v6only' } } },
  { name: 'broken-no-ipv6-san', agents: { wildcard: { ipv6Sans: false } } },
  {
    name: 'broken-wrong-last-client',
    agents: { wildcard: { program: 'agent-wrong-last-client' } },
  },
  { name: 'broken-no-client-auth', agents: { wildcard: { program: 'agent-no-client-auth' } } },
  {
    name: 'broken-ipv6-blind-caps',
    agents: { wildcard: { program: 'agent-ipv6-blind-caps' } },
  },
  { name: 'broken-ignores-port', agents: { 'alt-port': { program: 'agent-ignores-port' } } },
  {
    name: 'broken-ipv4-any-binds-wildcard',
    agents: { 'ipv4-any': { program: 'agent-binds-wildcard' } },
  },
  { name: 'broken-ula-binds-wildcard', agents: { ula: { program: 'agent-binds-wildcard' } } },
  {
    name: 'broken-gives-up-on-tentative',
    agents: { tentative: { program: 'agent-gives-up-on-tentative' } },
  },
  ...['accepts-prefix-129', 'accepts-static-dynamic', 'vague-refusals', 'drops-gateway'].map(
    (fault) => ({ name: `broken-${fault}`, agents: { wildcard: { program: `agent-${fault}` } } }),
  ),
  // Fault targets: each answers too much or garbage, or resets or hangs, and must fail exactly
  // the cells and cases that met the fault, never crash the run.
  { name: 'broken-huge-reply', agents: { wildcard: { program: 'agent-huge-reply' } } },
  { name: 'broken-junk-value', agents: { wildcard: { program: 'agent-junk-value' } } },
  ...[
    'accepts-nine-groups',
    'rejects-prefix-109-119',
    'rejects-zones',
    'unbracketed-url',
    'resets',
    'slow',
    'garbage',
  ].map((fault) => ({ name: `broken-engine-${fault}`, engine: { program: `engine-${fault}` } })),
];

export function targetByName(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) {
    throw new UsageError(
      `--target must be one of ${TARGETS.map((x) => x.name).join(', ')}; got '${name}'`,
    );
  }
  return t;
}
