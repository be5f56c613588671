// The JUnit report CI reads (the Jenkins xUnit junit-10 structure): a <failure> is the target,
// an <error> the harness. Every text a target can fill is capped before it is written.
import type { CellResult } from '../matrix/result.ts';
import { attrs, bounded, escapeXml } from './xml.ts';

export interface RunFacts {
  /** Run-wide properties: provider, docker and kernel versions, IPv6-only method, target. */
  properties: Record<string, string>;
  startedAt: Date;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(result: CellResult): string {
  const r = bounded(result);
  const props = Object.entries(r.properties)
    .map(([name, value]) => `        <property${attrs({ name, value })}/>`)
    .join('\n');
  const body: string[] = [`      <properties>\n${props}\n      </properties>`];
  const detail = [
    r.message,
    r.diagnostics,
    r.repro.length ? `reproduce:\n${r.repro.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  // <failure> is the target breaking a requirement; <error> is the harness breaking.
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
  if (r.status === 'passed' && r.observed) {
    body.push(`      <system-out>${escapeXml(`${r.spec ?? ''} -> ${r.observed}`)}</system-out>`);
  }
  return `    <testcase${attrs({
    classname: `sixgate.matrix.${r.target}.${r.mode}`,
    name: r.id,
    time: seconds(r.durationMs),
  })}>\n${body.join('\n')}\n    </testcase>`;
}

/** JUnit XML, one testsuite per (target, network mode), one testcase per cell by its stable id. */
export function toJunit(results: readonly CellResult[], facts: RunFacts): string {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = `${r.target}.${r.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const count = (rs: readonly CellResult[], s: CellResult['status']) =>
    rs.filter((r) => r.status === s).length;
  const runProps = Object.entries(facts.properties)
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join('\n');
  const suites = [...groups].map(([key, rs]) => {
    const time = rs.reduce((t, r) => t + r.durationMs, 0);
    return `  <testsuite${attrs({
      name: `connection-matrix.${key}`,
      tests: rs.length,
      failures: count(rs, 'failed'),
      errors: count(rs, 'error'),
      skipped: count(rs, 'skipped'),
      time: seconds(time),
      timestamp: facts.startedAt.toISOString(),
    })}>\n    <properties>\n${runProps}\n    </properties>\n${rs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({
    name: 'sixgate',
    tests: results.length,
    failures: count(results, 'failed'),
    errors: count(results, 'error'),
    skipped: count(results, 'skipped'),
  })}>\n${suites.join('\n')}\n</testsuites>\n`;
}
