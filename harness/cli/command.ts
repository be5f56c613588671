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

/**
 * A writer that stops quietly when its reader has gone (`sixgate matrix | head`): EPIPE ends the
 * output, not the command, so a run still tears down and writes its reports.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  let listening = false;
  return (text) => {
    if (gone) return;
    if (!listening) {
      listening = true;
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        gone = true;
      });
    }
    stream.write(text);
  };
}

export const processIo: Io = {
  stdout: pipeWriter(process.stdout),
  stderr: pipeWriter(process.stderr),
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
