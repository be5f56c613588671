// What each deliberately broken engine gets wrong, written down once for both engine sensitivity
// suites: which corpus cases its buggy rule flips (the fixture's own pattern, restated here as the
// test's expectation), and which engine cells it fails in each network mode.
import type { CorpusCase, NetworkMode } from '../../harness/index.ts';

/** fixtures/broken-engines/accepts-nine-groups.ts: `{1,7}` became `+`. */
const NINE_GROUPS = /^(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?$/i;
/** fixtures/broken-engines/rejects-prefix-109-119.ts: the hundreds written digit by digit. */
const PREFIX_PATTERN = /^(?:[0-9]{1,2}|1[01][0-8]|12[0-8])$/;

export interface EngineFault {
  /** The corpus cases whose verdict the engine gets wrong. */
  flips(c: CorpusCase): boolean;
  /** The engine cells it fails, per network mode. */
  cells: Record<NetworkMode, string[]>;
}

const none = { 'dual-stack': [], 'ipv6-only': [] };

/** Every engine cell that needs the agent added by its ULA first. */
const BY_ULA = [
  'engine.add-host.ula',
  'engine.network.static-ipv6',
  'engine.network.static-gateway',
  'engine.network.autoconf',
  'engine.network.dhcpv6',
  'engine.network.prefix-129-refused',
];

export const ENGINE_FAULTS: Record<string, EngineFault> = {
  reference: { flips: () => false, cells: none },
  'broken-engine-accepts-nine-groups': {
    flips: (c) => (c.field === 'ipv6' || c.field === 'ip') && !c.valid && NINE_GROUPS.test(c.input),
    cells: none,
  },
  'broken-engine-rejects-prefix-109-119': {
    flips: (c) => c.field === 'prefix' && PREFIX_PATTERN.test(c.input) !== c.valid,
    cells: none,
  },
  'broken-engine-rejects-zones': {
    flips: (c) => c.field === 'host' && c.valid && c.input.includes('%'),
    cells: {
      'dual-stack': ['engine.add-host.link-local-zone'],
      'ipv6-only': ['engine.add-host.link-local-zone'],
    },
  },
  // Validation is untouched; every IPv6 literal it must dial fails. Names and IPv4 still work.
  'broken-engine-unbracketed-url': {
    flips: () => false,
    cells: {
      'dual-stack': [...BY_ULA, 'engine.add-host.link-local-zone'],
      'ipv6-only': [...BY_ULA, 'engine.add-host.link-local-zone'],
    },
  },
};
