// Preloaded (`node --import`) into a process the bench times: on exit it writes the process's
// peak resident set (KiB, as getrusage reports it) to the file SIXGATE_BENCH_RSS_FILE names.
// A hook rather than GNU time: it needs nothing installed and reads the harness process itself.
import { writeFileSync } from 'node:fs';

const file = process.env.SIXGATE_BENCH_RSS_FILE;
if (file) {
  // Only the process it was loaded into: a child the harness starts inherits env, not --import.
  delete process.env.SIXGATE_BENCH_RSS_FILE;
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
