#!/usr/bin/env node
// Runs the compiled CLI in dist/. An installed package ships dist/ and no sources, and uses it as
// it is. A checkout (harness/cli.ts beside this file) has its sources change under developers and
// tests, so dist/ is first checked against them (a stat of each input) and recompiled in-process
// when one changed: what runs is always the current source, and never through tsx.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../harness/cli.ts', import.meta.url))) {
  const { ensureFreshCli } = await import('../scripts/build.mjs');
  try {
    await ensureFreshCli();
  } catch {
    // esbuild has printed where the sources do not compile.
    console.error('sixgate: the sources of this checkout do not compile (above)');
    process.exit(1);
  }
}
const { main, exitBySignalIfInterrupted } = await import('../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
exitBySignalIfInterrupted();
