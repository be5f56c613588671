// How a bench script (floor.ts, scale.ts, topology-floor.ts) runs when it is the program itself,
// bundled or through tsx: its command line, its errors said as a person reads them, the exit
// code a SixgateError carries. Imported by a bench, it does nothing.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError, SixgateError } from '../errors/index.ts';

export function runIfMain(url: string, cli: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || realpathSync(process.argv[1]) !== fileURLToPath(url)) return;
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${describeError(err)}\n`);
      process.exitCode = err instanceof SixgateError ? err.exitCode : 1;
    },
  );
}
