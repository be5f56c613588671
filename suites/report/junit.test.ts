import { describe, expect, test } from 'vitest';
import { type CellResult, toJunit } from '../../harness/index.ts';

const base: Omit<CellResult, 'id' | 'status'> = {
  title: 't',
  source: 'RFC 4007 §11',
  target: 'reference',
  mode: 'dual-stack',
  expected: 'connects',
  durationMs: 12,
  repro: ['sixgate run --cell x --mode dual-stack --keep'],
  properties: { 'cell.source': 'RFC 4007 §11', 'cell.spec': '[fe80::1%eth0]:54321' },
};

const xml = toJunit(
  [
    { ...base, id: 'a.pass', status: 'passed', observed: 'ok' },
    {
      ...base,
      id: 'b.fail',
      status: 'failed',
      message: 'refused <x> & "y"',
      diagnostics: 'log\u001b[31m',
    },
    { ...base, id: 'c.error', status: 'error', message: 'probe died' },
    { ...base, id: 'd.skip', status: 'skipped', message: 'no IPv4 on the agent' },
  ],
  { properties: { 'run.target': 'reference', kernel: '6.1' }, startedAt: new Date(0) },
);

function testcase(name: string): string {
  const m = xml.match(new RegExp(`<testcase[^>]*name="${name}"[\\s\\S]*?</testcase>`));
  if (!m) throw new Error(`no testcase ${name}`);
  return m[0];
}

describe('JUnit report', () => {
  test('keeps target failures, harness errors and skips apart', () => {
    expect(testcase('b.fail')).toMatch(
      /<failure message="refused &lt;x&gt; &amp; &quot;y&quot;" type="TargetFailure">/,
    );
    expect(testcase('b.fail')).not.toMatch(/<error/);
    expect(testcase('c.error')).toMatch(/<error message="probe died" type="HarnessError">/);
    expect(testcase('c.error')).not.toMatch(/<failure/);
    expect(testcase('d.skip')).toMatch(/<skipped message="no IPv4 on the agent"\/>/);
    expect(testcase('a.pass')).not.toMatch(/<(failure|error|skipped)/);
  });

  test('counts per suite and overall', () => {
    expect(xml).toMatch(
      /<testsuites name="sixgate" tests="4" failures="1" errors="1" skipped="1">/,
    );
    expect(xml).toMatch(
      /<testsuite name="connection-matrix.reference.dual-stack" tests="4" failures="1" errors="1" skipped="1"/,
    );
  });

  test('carries the cell source, spec and run facts as properties, and the repro command', () => {
    expect(testcase('a.pass')).toContain('<property name="cell.source" value="RFC 4007 §11"/>');
    expect(testcase('a.pass')).toContain(
      '<property name="cell.spec" value="[fe80::1%eth0]:54321"/>',
    );
    expect(xml).toContain('<property name="kernel" value="6.1"/>');
    expect(testcase('b.fail')).toContain('sixgate run --cell x --mode dual-stack --keep');
  });

  test('shows characters XML cannot carry as visible escapes', () => {
    expect(xml.includes('\u001b')).toBe(false);
    expect(testcase('b.fail')).toContain('log\\x1b[31m');
  });
});
