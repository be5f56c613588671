// Which test files start first. A clean clone has no vitest results cache, and vitest then
// starts the largest files first; our slowest files are small ones that wait on Docker (a fault
// agent's 30 s listen limit, a certify run), and one of them starting last is the run's tail.
// Measured durations (suites/support/durations.json, written by scripts/test-durations.mjs from a
// whole `npm test`'s reports/tests.json) put the longest first; files it does not know follow
// in vitest's own order. Only the order changes, never what runs.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const DURATIONS = new URL('./durations.json', import.meta.url);

function durations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = durations();
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) => known[relative(root, f.moduleId)] ?? -1;
    const base = await super.sort(files);
    return base
      .map((f, i) => ({ f, i, s: seconds(f) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .map(({ f }) => f);
  }
}
