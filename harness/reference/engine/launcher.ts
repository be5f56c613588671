// Start an engine program (the reference, or a broken fixture) as a host process. Certificates
// go to a private temp dir for the process's lifetime; the launcher waits for the listening line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SixgateError, SixgateTimeoutError } from '../../errors/index.ts';
import { nodeArgsFor, programEntry } from '../../images/programs.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import type { ListeningLine } from './run.ts';

/** The reference engine: its source in a checkout, its prebuilt bundle in an installed package. */
export const REFERENCE_ENGINE_ENTRY = programEntry('engine')!;

export interface LocalEngineOptions {
  /** Program to run. @default the reference engine */
  entry?: string;
  /** @default '::' */
  listen?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** PEMs: the API's certificate and key; the CA and client pair the engine shows agents. */
  tls: { cert: string; key: string; ca: string; clientCert?: string; clientKey?: string };
  /** @default 15000 */
  timeoutMs?: number;
}

export interface StartedEngine extends AsyncDisposable {
  address: string;
  port: number;
  /** stdout and stderr so far, for diagnostics. */
  logs(): string;
  stop(): Promise<void>;
}

export class EngineStartError extends SixgateError {
  constructor(entry: string, detail: string, logs: string) {
    super('SIXGATE_ENGINE_START', `engine ${entry} did not start: ${detail}\n${logs}`);
  }
}

function waitListening(child: ChildProcess, entry: string, timeoutMs: number, logs: () => string) {
  return new Promise<ListeningLine>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SixgateTimeoutError(`engine ${entry} to listen`, timeoutMs)),
      timeoutMs,
    );
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (const line of pending.split('\n').slice(0, -1)) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as ListeningLine;
        if (parsed.event === 'listening') {
          clearTimeout(timer);
          resolve(parsed);
        }
      }
      pending = pending.slice(pending.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new EngineStartError(entry, `exited with code ${code}`, logs()));
    });
  });
}

export async function startLocalEngine(options: LocalEngineOptions): Promise<StartedEngine> {
  const entry = options.entry ?? REFERENCE_ENGINE_ENTRY;
  const dir = await mkdtemp(join(tmpdir(), 'sixgate-engine-'));
  const files: Record<string, string | undefined> = {
    cert: options.tls.cert,
    key: options.tls.key,
    ca: options.tls.ca,
    'client-cert': options.tls.clientCert,
    'client-key': options.tls.clientKey,
  };
  const args = [
    ...nodeArgsFor(entry),
    '--listen',
    options.listen ?? '::',
    '--port',
    String(options.port ?? 0),
  ];
  for (const [flag, pem] of Object.entries(files)) {
    if (pem === undefined) continue;
    await writeFile(join(dir, `${flag}.pem`), pem, { mode: 0o600 });
    args.push(`--${flag}`, join(dir, `${flag}.pem`));
  }
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const line = await waitListening(child, entry, options.timeoutMs ?? 15_000, () => output);
    return {
      address: line.address,
      port: line.port,
      logs: () => output,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
