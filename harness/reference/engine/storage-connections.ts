// POST/GET/DELETE /api/storageconnections: an NFS export by `address` + `path` or by the
// combined `host:/path` form with an IPv6 host in brackets. Nothing is mounted: the engine
// checks and records the connection, which is all the seed's storage dialog does with it.
import { randomUUID } from 'node:crypto';
import type { StorageConnection } from '../../engine-client/api.ts';
import { oneOf, optionalString, requiredString, type JsonObject } from './body.ts';
import type { EngineContext, Request, Response } from './context.ts';
import { invalidField, notFound } from './fault.ts';
import type { AgentTarget } from './agent-link.ts';
import { check } from './rules.ts';
import { formatStorageConnection, targetFromVerdict } from './targets.ts';

export function parseStorage(ctx: EngineContext, body: JsonObject): Omit<StorageConnection, 'id'> {
  oneOf(body, 'type', ['nfs']);
  const connection = optionalString(body, 'connection');
  if (connection !== undefined) {
    if (body.address !== undefined || body.path !== undefined) {
      throw invalidField(
        'connection',
        'CONFLICTING_FORMS',
        'give either connection, or address and path, not both',
      );
    }
    const verdict = check(ctx.rules, 'storage', 'connection', connection);
    const target = targetFromVerdict({ ...verdict, canonical: verdict.host }, 0);
    return stored(target, verdict.path ?? '');
  }
  const target = targetFromVerdict(
    check(ctx.rules, 'host', 'address', requiredString(body, 'address')),
    0,
  );
  const path = requiredString(body, 'path');
  if (!path.startsWith('/'))
    throw invalidField(
      'path',
      'PATH_NOT_ABSOLUTE',
      'path must be an absolute export path starting with /',
    );
  return stored(target, path);
}

function stored(target: AgentTarget, path: string): Omit<StorageConnection, 'id'> {
  return {
    type: 'nfs',
    address: target.host,
    ...(target.zone === undefined ? {} : { zone: target.zone }),
    path,
    connection: formatStorageConnection(target, path),
  };
}

export async function storageRoute(
  ctx: EngineContext,
  req: Request,
): Promise<Response | undefined> {
  const [, id, ...rest] = req.segments;
  if (rest.length > 0) return undefined;
  if (id === undefined && req.method === 'GET')
    return { status: 200, body: { storageConnections: [...ctx.storage.values()] } };
  if (id === undefined && req.method === 'POST') {
    const parsed = parseStorage(ctx, await req.body());
    if (req.dryRun) return { status: 200, body: { dryRun: true, normalized: parsed } };
    const connection: StorageConnection = { id: randomUUID(), ...parsed };
    ctx.storage.set(connection.id, connection);
    return { status: 201, body: connection };
  }
  if (id !== undefined && req.method === 'GET') {
    const found = ctx.storage.get(id);
    if (!found) throw notFound(`storage connection ${id}`);
    return { status: 200, body: found };
  }
  if (id !== undefined && req.method === 'DELETE') {
    if (!ctx.storage.delete(id)) throw notFound(`storage connection ${id}`);
    return { status: 204 };
  }
  return undefined;
}
