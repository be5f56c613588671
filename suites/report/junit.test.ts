// The JUnit report against the Jenkins xUnit junit-10 rules (schemas/junit-10.xsd), checked by
// libxml2's validator (xmllint, Debian's libxml2-utils), and read back the way a CI reader does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type CellResult, type RunReport, toJunit } from '../../harness/index.ts';

const XSD = join(import.meta.dirname, '../../schemas/junit-10.xsd');
const dir = mkdtempSync(join(tmpdir(), 'sixgate-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllint(args: string[], xml: string) {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', [...args, file], { encoding: 'utf8' });
  if (r.error)
    throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replaceAll(file, 'doc.xml') };
}

const validate = (xml: string) => xmllint(['--noout', '--schema', XSD], xml);
/** What an XML reader (not a regex) finds at an XPath. */
const xpath = (xml: string, path: string) =>
  xmllint(['--xpath', path], xml).stdout.replace(/\n$/, '');

const base: Omit<CellResult, 'id' | 'status'> = {
  title: 't',
  source: 'RFC 4007 §11',
  target: 'reference',
  mode: 'dual-stack',
  expected: 'connects',
  // Four cells of 19.725 s: 78.9 s of cell time in a run of 45.2 s.
  durationMs: 19_725,
  repro: ['sixgate run --cell x --mode dual-stack --keep'],
  properties: { 'cell.source': 'RFC 4007 §11', 'cell.spec': '[fe80::1%eth0]:54321' },
};

const report: RunReport = {
  results: [
    { ...base, id: 'a.pass', status: 'passed', observed: 'ok', spec: '[::1]:54321' },
    {
      ...base,
      id: 'b.fail',
      status: 'failed',
      message: 'refused <x> & "y"\nsecond line',
      diagnostics: 'log\u001b[31m',
    },
    { ...base, id: 'c.error', status: 'error', message: 'probe died' },
    { ...base, id: 'd.skip', mode: 'ipv6-only', status: 'skipped', message: 'no IPv4 here' },
    { ...base, id: 'corpus.x', mode: 'ipv6-only', status: 'passed', group: 'corpus' },
  ],
  properties: {
    'run.sixgate': '0.1.0',
    'run.node': 'v20.19.0',
    'run.target': 'reference',
    kernel: '6.1',
  },
  startedAt: new Date('2026-12-01T10:00:00Z'),
  endedAt: new Date('2026-12-01T10:00:45.200Z'),
  selection: { modes: ['dual-stack', 'ipv6-only'], cells: [], corpus: true },
};

const xml = toJunit(report);
const testcase = (name: string) => `//testcase[@name='${name}']`;

describe('JUnit report', () => {
  test('is valid against the junit-10 rules', () => {
    const r = validate(xml);
    expect(r.stderr).toBe('doc.xml validates\n');
    expect(r.status).toBe(0);
  });

  test('the schema check refuses the shapes sixgate used to write, and only for them', () => {
    // The old writer's output: properties inside a testcase, `skipped` on testsuites.
    const old = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sixgate" tests="1" failures="0" errors="0" skipped="0">
  <testsuite name="s" tests="1" failures="0" errors="0" skipped="0" time="78.900">
    <testcase classname="c" name="a" time="0.012">
      <properties><property name="cell.source" value="x"/></properties>
    </testcase>
  </testsuite>
</testsuites>
`;
    const r = validate(old);
    expect(r.status).not.toBe(0);
    const problems = r.stderr
      .split('\n')
      .filter((l) => l.includes('validity error'))
      .map((l) => /Element '([^']+)'(?:, attribute '([^']+)')?/.exec(l)!.slice(1).join(' '));
    expect(problems).toEqual(['testsuites skipped', 'properties ']);
  });

  test('keeps target failures, harness errors and skips apart', () => {
    expect(xpath(xml, `${testcase('b.fail')}/failure/@type`)).toContain('TargetFailure');
    expect(xpath(xml, `count(${testcase('b.fail')}/error)`)).toBe('0');
    expect(xpath(xml, `${testcase('c.error')}/error/@type`)).toContain('HarnessError');
    expect(xpath(xml, `count(${testcase('c.error')}/failure)`)).toBe('0');
    expect(xpath(xml, `string(${testcase('d.skip')}/skipped/@message)`)).toBe('no IPv4 here');
    expect(xpath(xml, `count(${testcase('a.pass')}/*[not(self::system-out)])`)).toBe('0');
  });

  test('a message keeps its characters and its line break through a reader', () => {
    expect(xpath(xml, `string(${testcase('b.fail')}/failure/@message)`)).toBe(
      'refused <x> & "y"\nsecond line',
    );
  });

  test('counts per suite and overall; skipped only on the suites', () => {
    expect(xml).toMatch(/<testsuites name="sixgate" tests="5" failures="1" errors="1" time=/);
    expect(xml).toMatch(
      /<testsuite name="connection-matrix.reference.dual-stack" tests="3" failures="1" errors="1" skipped="0"/,
    );
    expect(xml).toMatch(
      /<testsuite name="connection-matrix.reference.ipv6-only" tests="2" failures="0" errors="0" skipped="1"/,
    );
  });

  test("suite time is the run's wall time, not the sum of cell times", () => {
    expect(xpath(xml, 'string(/testsuites/@time)')).toBe('45.200');
    expect(xpath(xml, 'string(//testsuite[1]/@time)')).toBe('45.200');
    expect(xpath(xml, 'string(//testsuite[2]/@time)')).toBe('45.200');
    expect(xpath(xml, `string(${testcase('a.pass')}/@time)`)).toBe('19.725');
  });

  test('sixgate and Node versions and the run facts are suite properties', () => {
    for (const suite of [1, 2]) {
      expect(
        xpath(xml, `string(//testsuite[${suite}]/properties/property[@name='run.sixgate']/@value)`),
      ).toBe('0.1.0');
      expect(
        xpath(xml, `string(//testsuite[${suite}]/properties/property[@name='run.node']/@value)`),
      ).toBe('v20.19.0');
      expect(
        xpath(xml, `string(//testsuite[${suite}]/properties/property[@name='kernel']/@value)`),
      ).toBe('6.1');
    }
    expect(xpath(xml, 'count(//testcase/properties)')).toBe('0');
  });

  test("a cell's facts are in its system-out, its repro in the failure", () => {
    const out = xpath(xml, `string(${testcase('a.pass')}/system-out)`);
    expect(out.split('\n')).toEqual([
      'title: t',
      'source: RFC 4007 §11',
      'target: reference',
      'mode: dual-stack',
      'expected: connects',
      'observed: ok',
      'spec: [::1]:54321',
      'duration: 19725 ms',
      'cell.source: RFC 4007 §11',
      'cell.spec: [fe80::1%eth0]:54321',
    ]);
    expect(xpath(xml, `string(${testcase('b.fail')}/failure)`)).toContain(
      'reproduce:\nsixgate run --cell x --mode dual-stack --keep',
    );
    expect(xpath(xml, `string(${testcase('corpus.x')}/@group)`)).toBe('corpus');
  });

  test('shows characters XML cannot carry as visible escapes', () => {
    expect(xml.includes('\u001b')).toBe(false);
    expect(xpath(xml, `string(${testcase('b.fail')}/failure)`)).toContain('log\\x1b[31m');
  });

  test('an empty run is still a valid document', () => {
    const empty = toJunit({ ...report, results: [] });
    expect(validate(empty).status).toBe(0);
  });
});
