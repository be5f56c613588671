#!/usr/bin/env node
// tsx runs the TypeScript sources directly, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main, exitBySignalIfInterrupted } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
exitBySignalIfInterrupted();
