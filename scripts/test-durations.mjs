// Writes suites/support/durations.json (seconds per test file, hooks included) from the JSON
// report a whole `npm test` leaves in reports/tests.json; suites/support/sequencer.ts starts the
// longest files first with it. Run after a full CI run: node scripts/test-durations.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/tests.json', 'utf8'));
const out = {};
for (const r of report.testResults ?? []) {
  if (typeof r.startTime === 'number' && typeof r.endTime === 'number')
    out[relative(root, r.name)] = Math.round((r.endTime - r.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
writeFileSync(
  new URL('../suites/support/durations.json', import.meta.url),
  `${JSON.stringify(sorted, null, 2)}\n`,
);
console.log(
  `${Object.keys(sorted).length} files, ${Object.values(sorted)
    .reduce((a, b) => a + b, 0)
    .toFixed(0)} s in all`,
);
