// The sixgate command as CI and people call it: a separate process, its exit code and output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/sixgate.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The process id: sixgate labels what it creates with it (`sixgate.owner`). */
  pid: number;
}

export interface CliOptions {
  /** How long the process may take before it is killed. @default 400 s */
  timeoutMs?: number;
  cwd?: string;
}

export function sixgate(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: CliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      {
        timeout: options.timeoutMs ?? 400_000,
        env,
        maxBuffer: 64 << 20,
        ...(options.cwd ? { cwd: options.cwd } : {}),
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
          pid: child.pid!,
        }),
    );
  });
}
