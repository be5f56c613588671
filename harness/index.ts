// The one public entry point: suites and external users import from here only.
export * from './errors/index.ts';
export { main } from './cli.ts';
export type { Io, Command } from './cli/command.ts';
