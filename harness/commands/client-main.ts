// Entry for the `client` program inside the sixgate image: `sixgate client` without the rest of
// the CLI (no Docker client), so a person can `docker exec` it inside a host's namespace.
import { processIo } from '../cli/command.ts';
import { describeError, SixgateError } from '../errors/index.ts';
import client from './client.ts';

try {
  process.exitCode = await client.run(process.argv.slice(2), processIo);
} catch (err) {
  process.stderr.write(`${describeError(err)}\n`);
  process.exitCode = err instanceof SixgateError ? err.exitCode : 1;
}
