// Starts an agent program as a host process with a given vdsm.conf: what the tests and the local
// provider use. The started agent is AsyncDisposable (`await using agent = await start…`).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { SixgateTimeoutError } from '../../errors/index.ts';
import { nodeArgsFor, programEntry } from '../../images/programs.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { renderAgentConfig } from './config.ts';
import { AgentStartError } from './errors.ts';
import { agentPaths } from './paths.ts';

/** The reference agent: its source in a checkout, its prebuilt bundle in an installed package. */
export const REFERENCE_AGENT_PROGRAM = programEntry('agent')!;

export interface LocalAgentOptions {
  /** Directory standing in for `/`: vdsm.conf and the PKI files are written under it. */
  root: string;
  /** A .ts or bundled .mjs program exporting nothing that runs an agent. @default REFERENCE_AGENT_PROGRAM */
  program?: string;
  /** @default '::' */
  managementIp?: string;
  /** @default a free port, found by binding a dual-stack wildcard socket to port 0 */
  port?: number;
  /** @default true, as the historic agent */
  mutualTls?: boolean;
  /** PEM material written to the vdsm paths; omit when it is already under root. */
  tls?: { ca: string; cert: string; key: string };
  /** Raw vdsm.conf written instead of the generated one (for invalid-config cases). */
  configText?: string;
  /** @default 15000 */
  readyTimeoutMs?: number;
}

export interface LocalAgent extends AsyncDisposable {
  port: number;
  pid: number;
  /** Everything the agent wrote to stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '::', port: 0 }, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
}

export async function startLocalAgent(options: LocalAgentOptions): Promise<LocalAgent> {
  const port = options.port ?? (await freePort());
  const paths = agentPaths(options.root);
  write(
    paths.config,
    options.configText ??
      renderAgentConfig({
        managementIp: options.managementIp ?? '::',
        managementPort: port,
        verifyClient: options.mutualTls ?? true,
      }),
  );
  if (options.tls) {
    write(paths.ca, options.tls.ca);
    write(paths.cert, options.tls.cert);
    write(paths.key, options.tls.key);
  }
  const program = options.program ?? REFERENCE_AGENT_PROGRAM;
  // cwd is the package so a .ts program's `--import tsx` resolves the checkout's own tsx.
  const child = spawn(process.execPath, [...nodeArgsFor(program), '--root', options.root], {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const limit = options.readyTimeoutMs ?? 15_000;
  await new Promise<void>((resolve, reject) => {
    let gaveUp = false;
    const timer = setTimeout(() => {
      // The exit this stop causes is not the agent's: the timeout is what happened.
      gaveUp = true;
      stop().then(
        () => reject(new SixgateTimeoutError(`'listening on' from ${program}`, limit)),
        reject,
      );
    }, limit);
    child.stderr.on('data', (chunk: string) => {
      log += chunk;
      if (/ listening on /.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      if (gaveUp) return;
      reject(
        new AgentStartError(`${program} exited with code ${code} before listening`, code, log),
      );
    }, reject);
  });
  return {
    port,
    pid: child.pid ?? -1,
    logs: () => log,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
