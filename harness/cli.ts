import { describeError, SixgateError } from './errors/index.ts';
import { processIo, type Command, type Io } from './cli/command.ts';
import { interruptedBy, reraise } from './lifecycle/index.ts';

// Commands load lazily so `sixgate validate` does not pay for Docker clients it never uses.
// Each command lives in harness/commands/<name>.ts and default-exports a Command.
const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).default,
  matrix: async () => (await import('./commands/matrix.ts')).default,
  validate: async () => (await import('./commands/validate.ts')).default,
  client: async () => (await import('./commands/client.ts')).default,
  doctor: async () => (await import('./commands/doctor.ts')).default,
  down: async () => (await import('./commands/down.ts')).default,
  ps: async () => (await import('./commands/ps.ts')).default,
};

function usage(): string {
  return [
    'usage: sixgate <command> [options]',
    '',
    'commands:',
    ...Object.keys(commands).map((c) => `  ${c}`),
    '',
    "run 'sixgate <command> --help' for a command's options",
    '',
  ].join('\n');
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`sixgate: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.summary}\n\nusage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    io.stderr(`${describeError(err)}\n`);
    return err instanceof SixgateError ? err.exitCode : 1;
  }
}

/**
 * After a command finished its reports and teardown for a signal, the process ends by that
 * signal, as it would have without sixgate's handler (a shell then sees 130 or 143).
 */
export function exitBySignalIfInterrupted(): void {
  const signal = interruptedBy();
  if (signal) reraise(signal);
}
