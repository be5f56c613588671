// The engine's HTTPS server: routing, the JSON envelope, and the rule that bad input ends as a
// 4xx fault. A 500 means a bug in the engine, and is logged as one.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsMaterial } from '../../rpc/contract.ts';
import { readJsonObject } from './body.ts';
import type { EngineContext, EngineParts, Request, Response } from './context.ts';
import { EngineFault } from './fault.ts';
import { hostsRoute } from './hosts.ts';
import { attachmentsRoute } from './network-attachments.ts';
import { nicsRoute } from './nics.ts';
import { storageRoute } from './storage-connections.ts';
import { validateRoute } from './validate-batch.ts';

type Route = (ctx: EngineContext, req: Request) => Promise<Response | undefined>;

function pickRoute(segments: string[]): Route | undefined {
  const [first, , third] = segments;
  if (first === 'hosts' && third === 'networkattachments') return attachmentsRoute;
  if (first === 'hosts' && third === 'nics') return nicsRoute;
  if (first === 'hosts' && segments.length <= 2) return hostsRoute;
  if (first === 'storageconnections') return storageRoute;
  if (first === 'validate') return validateRoute;
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

async function handle(
  ctx: EngineContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [path = '', query = ''] = (req.url ?? '').split('?', 2);
  const params = new URLSearchParams(query);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let bodyRead = false;
  try {
    if (segments[0] !== 'api')
      throw new EngineFault(404, 'NOT_FOUND', null, 'Not found', `no resource at ${path}`);
    const rest = segments.slice(1);
    const route = pickRoute(rest);
    if (!route)
      throw new EngineFault(404, 'NOT_FOUND', null, 'Not found', `no resource at ${path}`);
    const request: Request = {
      method: req.method ?? 'GET',
      segments: rest,
      dryRun: params.get('dryRun') === 'true',
      body: () => {
        bodyRead = true;
        return readJsonObject(req);
      },
    };
    const response = await route(ctx, request);
    if (!response) {
      throw new EngineFault(
        405,
        'METHOD_NOT_ALLOWED',
        null,
        'Method not allowed',
        `${request.method} is not allowed on ${path}`,
      );
    }
    send(res, response.status, response.body);
  } catch (err) {
    const fault = err instanceof EngineFault ? err : undefined;
    if (!fault)
      process.stderr.write(
        `engine: internal error on ${req.method} ${path}: ${(err as Error).stack ?? String(err)}\n`,
      );
    const body = fault?.toBody() ?? {
      fault: {
        reason: 'Internal error',
        detail: (err as Error).message,
        field: null,
        code: 'INTERNAL',
      },
    };
    // An unread or half-read body would be parsed as the next request on this connection.
    const close = !bodyRead || fault?.code === 'BODY_TOO_LARGE';
    if (close) req.resume();
    send(res, fault?.status ?? 500, body, close && req.readable);
  }
}

export interface EngineServerOptions {
  parts: EngineParts;
  /** PEM certificate and key the API is served with. */
  cert: string;
  key: string;
  agentTls: TlsMaterial;
}

export function createEngineServer(options: EngineServerOptions): Server {
  const ctx: EngineContext = {
    ...options.parts,
    agentTls: options.agentTls,
    hosts: new Map(),
    attachments: new Map(),
    storage: new Map(),
  };
  return createServer({ cert: options.cert, key: options.key }, (req, res) => {
    handle(ctx, req, res).catch(() => res.destroy());
  });
}
