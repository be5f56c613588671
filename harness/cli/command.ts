import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/index.ts';

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: process.stdin,
};

export interface Command {
  summary: string;
  usage: string;
  /** Resolves to the exit code. Throwing a SixgateError maps to its exitCode. */
  run(argv: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into a UsageError that names the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`sixgate ${command}: ${(err as Error).message}`, {
      hint: `see 'sixgate ${command} --help'`,
    });
  }
}
