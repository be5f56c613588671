// The console view of a failed cell: the README promises its diagnostics there, beside the
// problem and the repro commands — bounded, so a chatty target cannot flood a CI log.
import { describe, expect, it } from 'vitest';
import { summarize, type CellResult } from '../../harness/index.ts';

const failed = (diagnostics: string): CellResult => ({
  id: 'local.loopback.bracketed',
  title: 'bracketed loopback',
  source: 'oVirt IPv6 feature page',
  target: 'broken-v4only',
  mode: 'dual-stack',
  status: 'failed',
  message: 'expected to connect, but connection refused',
  expected: 'connects',
  durationMs: 3,
  diagnostics,
  repro: ['npx sixgate run --cell local.loopback.bracketed --mode dual-stack --keep'],
  properties: {},
});

describe('console summary', () => {
  it('prints a failed cell’s diagnostics between the problem and the repro lines', () => {
    const text = summarize([
      failed('--- listeners\n0.0.0.0:54321 LISTEN\n--- routes\nfd00::/64 dev eth0'),
    ]);
    const lines = text.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('problem:')).toBeGreaterThan(0);
    expect(at('diagnostics:')).toBeGreaterThan(at('problem:'));
    expect(at('0.0.0.0:54321 LISTEN')).toBeGreaterThan(at('diagnostics:'));
    expect(at('fd00::/64 dev eth0')).toBeGreaterThan(at('0.0.0.0:54321 LISTEN'));
    expect(at('repro:')).toBeGreaterThan(at('fd00::/64 dev eth0'));
  });

  it('shows the first lines only and says where the rest is', () => {
    const many = Array.from({ length: 100 }, (_, i) => `log line ${i}`).join('\n');
    const text = summarize([failed(many)]);
    expect(text).toContain('log line 23');
    expect(text).not.toContain('log line 24');
    expect(text).toContain('(76 more lines in the JUnit and HTML reports)');
  });
});
