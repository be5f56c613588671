#!/usr/bin/env node
// npm run bench [-- --runs 7 --min-ms 1000 --filter address --json]
// Runs every harness/bench/*.bench.ts; tsx runs the TypeScript sources directly.
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'min-ms': { type: 'string', default: '1000' },
    filter: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const minMs = Number(values['min-ms']);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(minMs) || minMs < 1) {
  console.error('bench: --runs and --min-ms take positive whole numbers');
  process.exit(2);
}
const { runBenches } = await import('../harness/bench/run.ts');
const results = await runBenches({
  runs,
  minMs,
  filter: values.filter,
  out: values.json ? () => {} : (line) => console.log(line),
});
if (values.json) console.log(JSON.stringify(results, null, 2));
