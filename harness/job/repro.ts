// One way to rerun a cell, for matrix and engine cells alike: as the user invoked sixgate, with
// the same target, every argument shell-quoted.
import { invocation, shellQuote } from '../cli/invocation.ts';
import type { CellResult } from '../matrix/index.ts';

export function rerunCommand(r: CellResult, targetArgs: readonly string[]): string {
  return [
    invocation(),
    ...['run', '--cell', r.id, '--mode', r.mode, ...targetArgs, '--keep'].map(shellQuote),
  ].join(' ');
}
