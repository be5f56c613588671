import { describeError, SixgateError } from './errors/index.ts';
import { processIo, type Command, type Io } from './cli/command.ts';
import { didYouMean } from './cli/suggest.ts';
import { sixgateVersion } from './cli/version.ts';
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
  up: async () => (await import('./commands/up.ts')).default,
  merge: async () => (await import('./commands/merge.ts')).default,
  certify: async () => (await import('./commands/certify.ts')).default,
  verify: async () => (await import('./commands/verify.ts')).default,
};

function usage(): string {
  return [
    'usage: sixgate <command> [options]',
    '',
    'commands:',
    ...Object.keys(commands).map((c) => `  ${c}`),
    '',
    "'sixgate help <command>' for a command's options; 'sixgate --version'",
    '',
  ].join('\n');
}

function helpFor(command: Command): string {
  return `${command.summary}\n\nusage: ${command.usage}\n${command.details ? `\n${command.details()}\n` : ''}`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout(`sixgate ${sixgateVersion()} (node ${process.version})\n`);
    return 0;
  }
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(
      `sixgate: unknown command '${name}'${didYouMean(name, Object.keys(commands))}\n${usage()}`,
    );
    return 2;
  }
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(helpFor(command));
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
