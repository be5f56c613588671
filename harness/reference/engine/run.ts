// The engine process: flags, certificate files, listen, one JSON line on stdout when ready.
// Broken engines (fixtures/broken-engines) call this with one part swapped.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors/index.ts';
import { referenceAgentLink } from './agent-link.ts';
import type { EngineParts } from './context.ts';
import { referenceRules } from './rules.ts';
import { createEngineServer } from './server.ts';

export const ENGINE_USAGE =
  'engine --cert F --key F --ca F [--client-cert F --client-key F] [--listen ADDR] [--port N]';

/** What the engine prints once it listens; launchers wait for this line. */
export interface ListeningLine {
  event: 'listening';
  address: string;
  port: number;
}

function read(flag: string, path: string | undefined): string {
  if (path === undefined)
    throw new UsageError(`engine: --${flag} is required`, { hint: ENGINE_USAGE });
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`engine: cannot read --${flag} ${path}`, {
      cause: err,
      hint: ENGINE_USAGE,
    });
  }
}

const FLAGS = {
  listen: { type: 'string', default: '::' },
  port: { type: 'string', default: '8443' },
  cert: { type: 'string' },
  key: { type: 'string' },
  ca: { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
} as const;

function flags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS }).values;
  } catch (err) {
    throw new UsageError(`engine: ${(err as Error).message}`, { hint: ENGINE_USAGE });
  }
}

export async function runEngine(argv: string[], parts: Partial<EngineParts> = {}): Promise<void> {
  const values = flags(argv);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`engine: --port must be an integer from 0 to 65535, got '${values.port}'`);
  }
  const clientCert = values['client-cert'];
  const clientKey = values['client-key'];
  const server = createEngineServer({
    parts: { rules: referenceRules, agentLink: referenceAgentLink, ...parts },
    cert: read('cert', values.cert),
    key: read('key', values.key),
    agentTls: {
      ca: read('ca', values.ca),
      ...(clientCert === undefined ? {} : { cert: read('client-cert', clientCert) }),
      ...(clientKey === undefined ? {} : { key: read('client-key', clientKey) }),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: values.listen, port }, resolve);
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string')
    throw new Error('engine: server has no TCP address');
  const line: ListeningLine = { event: 'listening', address: bound.address, port: bound.port };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  // Keep-alive connections would hold close() open until the client lets go.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Entry points call this: a usage error prints its message and exits 2, like the CLI. */
export function runEngineMain(parts: Partial<EngineParts> = {}): void {
  runEngine(process.argv.slice(2), parts).catch((err: unknown) => {
    const hint = err instanceof UsageError && err.hint ? `\nusage: ${err.hint}` : '';
    process.stderr.write(`${(err as Error).message}${hint}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
