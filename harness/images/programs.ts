// Programs the sixgate image carries, by name: one bundled JS file each. In a checkout each is
// bundled from its TypeScript source; an installed package has no sources and ships the same
// bundles, made at build time, under dist/programs/. An entry with neither (a fixture not written
// yet) is left out of the image, not an error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

export const programs: Record<string, string> = {
  probe: 'harness/probe/main.ts',
  client: 'harness/commands/client-main.ts',
  agent: 'harness/reference/agent/main.ts',
  engine: 'harness/reference/engine/main.ts',
  'agent-ipv4-only': 'fixtures/broken-agents/ipv4-only.ts',
  'agent-v6only': 'fixtures/broken-agents/v6only.ts',
  'agent-wrong-last-client': 'fixtures/broken-agents/wrong-last-client.ts',
  'agent-no-client-auth': 'fixtures/broken-agents/no-client-auth.ts',
  'agent-ipv6-blind-caps': 'fixtures/broken-agents/ipv6-blind-caps.ts',
  'agent-huge-reply': 'fixtures/broken-agents/huge-reply.ts',
  'agent-junk-value': 'fixtures/broken-agents/junk-value.ts',
  'agent-ignores-port': 'fixtures/broken-agents/ignores-port.ts',
  'agent-binds-wildcard': 'fixtures/broken-agents/binds-wildcard.ts',
  'agent-accepts-prefix-129': 'fixtures/broken-agents/accepts-prefix-129.ts',
  'agent-accepts-static-dynamic': 'fixtures/broken-agents/accepts-static-dynamic.ts',
  'agent-vague-refusals': 'fixtures/broken-agents/vague-refusals.ts',
  'agent-drops-gateway': 'fixtures/broken-agents/drops-gateway.ts',
  'agent-gives-up-on-tentative': 'fixtures/broken-agents/gives-up-on-tentative.ts',
  'engine-accepts-nine-groups': 'fixtures/broken-engines/accepts-nine-groups.ts',
  'engine-rejects-prefix-109-119': 'fixtures/broken-engines/rejects-prefix-109-119.ts',
  'engine-rejects-zones': 'fixtures/broken-engines/rejects-zones.ts',
  'engine-unbracketed-url': 'fixtures/broken-engines/unbracketed-url.ts',
  'engine-resets': 'fixtures/broken-engines/resets.ts',
  'engine-slow': 'fixtures/broken-engines/slow.ts',
  'engine-garbage': 'fixtures/broken-engines/garbage.ts',
};

/** Where scripts/build.mjs writes the prebuilt bundle of a program. */
export const prebuiltProgram = (name: string) =>
  join(PACKAGE_ROOT, 'dist', 'programs', `${name}.mjs`);

/**
 * A program's entry: its TypeScript source where there is one (a checkout: what runs is always
 * the current source), else its prebuilt `.mjs` bundle, else undefined.
 */
export function programEntry(name: string): string | undefined {
  const rel = programs[name];
  if (rel === undefined) return undefined;
  const source = join(PACKAGE_ROOT, rel);
  if (existsSync(source)) return source;
  const built = prebuiltProgram(name);
  return existsSync(built) ? built : undefined;
}

/** Programs that have an entry, with absolute paths. */
export function availablePrograms(): Array<{ name: string; entry: string }> {
  return Object.keys(programs).flatMap((name) => {
    const entry = programEntry(name);
    return entry ? [{ name, entry }] : [];
  });
}

/** How node runs a program entry: a TypeScript source through tsx (a checkout), a bundle as is. */
export const nodeArgsFor = (entry: string): string[] =>
  entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];

/** Where a program's bundle sits inside the image. */
export const programPath = (name: string) => `/sixgate/${name}.mjs`;
