// The JUnit report CI reads, in the structure the Jenkins xUnit plugin's junit-10.xsd defines
// (jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/
// junit-10.xsd; our own copy of its rules is schemas/junit-10.xsd). That structure has no
// <properties> inside a <testcase>, so a cell's facts (source, expected, spec, properties) go to
// its <system-out>, and its reason, diagnostics and repro commands to the <failure>/<error> body.
// A <failure> is the target, an <error> the harness. Every text a target can fill is capped.
import type { CellResult } from '../matrix/result.ts';
import type { Reporter, RunReport } from './contract.ts';
import { attrs, bounded, escapeXml } from './xml.ts';

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

const count = (rs: readonly CellResult[], s: CellResult['status']) =>
  rs.filter((r) => r.status === s).length;

/** What a person needs to place the cell, as `key: value` lines. */
function facts(r: CellResult): string {
  const lines = [
    ['title', r.title],
    ['source', r.source],
    ['target', r.target],
    ['mode', r.mode],
    ['expected', r.expected],
    ['observed', r.observed],
    ['spec', r.spec],
    ['identity', r.identity],
    ['duration', `${r.durationMs} ms`],
    ...Object.entries(r.properties),
  ];
  return lines
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function testcase(result: CellResult): string {
  const r = bounded(result);
  const body: string[] = [];
  const detail = [
    r.message,
    r.diagnostics,
    r.repro.length ? `reproduce:\n${r.repro.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  if (r.status === 'failed') {
    body.push(
      `      <failure${attrs({ message: r.message, type: 'TargetFailure' })}>${escapeXml(detail)}</failure>`,
    );
  } else if (r.status === 'error') {
    body.push(
      `      <error${attrs({ message: r.message, type: 'HarnessError' })}>${escapeXml(detail)}</error>`,
    );
  } else if (r.status === 'skipped') {
    body.push(`      <skipped${attrs({ message: r.message })}/>`);
  }
  body.push(`      <system-out>${escapeXml(facts(r))}</system-out>`);
  return `    <testcase${attrs({
    classname: `sixgate.matrix.${r.target}.${r.mode}`,
    name: r.id,
    time: seconds(r.durationMs),
    group: r.group,
  })}>\n${body.join('\n')}\n    </testcase>`;
}

/**
 * JUnit XML: one testsuite per (target, network mode), one testcase per result by its stable id,
 * the run's facts (sixgate and Node versions among them) as each suite's properties.
 *
 * Time: the modes run side by side, so a cell's time is its own, but a suite's time cannot be
 * told apart from the run's: every suite and the whole carry the run's wall time
 * (endedAt - startedAt), never the sum of cell times (which counts parallel work twice).
 */
export function toJunit(report: RunReport): string {
  const { results } = report;
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = `${r.target}.${r.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const wall = seconds(report.endedAt.getTime() - report.startedAt.getTime());
  const runProps = Object.entries(report.properties)
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join('\n');
  const suites = [...groups].map(
    ([key, rs]) =>
      `  <testsuite${attrs({
        name: `connection-matrix.${key}`,
        tests: rs.length,
        failures: count(rs, 'failed'),
        errors: count(rs, 'error'),
        skipped: count(rs, 'skipped'),
        time: wall,
        timestamp: report.startedAt.toISOString(),
      })}>\n    <properties>\n${runProps}\n    </properties>\n${rs.map(testcase).join('\n')}\n  </testsuite>`,
  );
  // <testsuites> takes no `skipped`: the suites carry it.
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({
    name: 'sixgate',
    tests: results.length,
    failures: count(results, 'failed'),
    errors: count(results, 'error'),
    time: wall,
  })}>\n${suites.join('\n')}\n</testsuites>\n`;
}

export const junitReporter: Reporter = {
  name: 'junit',
  defaultFile: 'reports/junit.xml',
  render: toJunit,
};
