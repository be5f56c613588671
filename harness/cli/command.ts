import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/index.ts';
import { didYouMean } from './suggest.ts';

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  /** stdout is a terminal: live progress and colour. @default false */
  isTTY?: boolean;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: process.stdin,
  isTTY: process.stdout.isTTY === true,
};

export interface Command {
  summary: string;
  usage: string;
  /** More help after the usage line: targets, exit codes, examples. */
  details?(): string;
  /** Resolves to the exit code. Throwing a SixgateError maps to its exitCode. */
  run(argv: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into a UsageError that names the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const flag = /Unknown option '(--?[^']+)'/.exec((err as Error).message)?.[1];
    const near = flag?.startsWith('--')
      ? didYouMean(
          flag,
          Object.keys(options).map((o) => `--${o}`),
        )
      : '';
    // node's own text goes on about positionals after '--'; the flag and a suggestion say enough.
    const what = flag ? `unknown option '${flag}'` : (err as Error).message;
    throw new UsageError(`sixgate ${command}: ${what}${near}`, {
      hint: `see 'sixgate help ${command}'`,
    });
  }
}
