#!/usr/bin/env node
// npm run bench [-- --runs 7 --min-ms 1000 --n 5 --filter floor --json]
// Runs every harness/bench/*.bench.ts; tsx runs the TypeScript sources directly.
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'min-ms': { type: 'string', default: '1000' },
    n: { type: 'string', default: '5' },
    filter: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const minMs = Number(values['min-ms']);
const n = Number(values.n);
if ([runs, minMs, n].some((x) => !Number.isInteger(x) || x < 1)) {
  console.error('bench: --runs, --min-ms and --n take positive whole numbers');
  process.exit(2);
}
const { runBenches } = await import('../harness/bench/run.ts');
try {
  const results = await runBenches({
    runs,
    minMs,
    n,
    filter: values.filter,
    out: values.json ? () => {} : (line) => console.log(line),
  });
  if (values.json) console.log(JSON.stringify(results, null, 2));
  if (results.some((r) => 'error' in r)) process.exitCode = 1;
} catch (err) {
  // A bench whose process failed says which and shows that process's output, not a stack.
  console.error(`bench: ${err?.message ?? err}${err?.hint ? `\n${err.hint}` : ''}`);
  process.exitCode = 1;
}
