// Prints the closing line CI reads ('tests: N passed, N failed, N skipped') from a JUnit file.
import { readFileSync } from 'node:fs';

const xml = readFileSync(process.argv[2] ?? 'reports/junit.xml', 'utf8');
// Each case runs from its <testcase to the next one or the end of its suite.
const cases = xml
  .split(/<testcase\b/)
  .slice(1)
  .map((c) => c.split('</testsuite>')[0]);
let failed = 0;
let skipped = 0;
for (const c of cases) {
  if (/<(failure|error)\b/.test(c)) failed++;
  else if (/<skipped\b/.test(c)) skipped++;
}
console.log(
  `tests: ${cases.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`,
);
