// POST/GET/DELETE /api/hosts: validate the address, reach the agent, record what happened.
import { randomUUID } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { DEFAULT_AGENT_PORT } from '../../address/contract.ts';
import type { EngineHost } from '../../engine-client/api.ts';
import type { CallOutcome } from '../../rpc/contract.ts';
import { displayTarget, type AgentTarget } from './agent-link.ts';
import { isObject, optionalString, requiredString, type JsonObject } from './body.ts';
import type { EngineContext, HostRecord, Request, Response } from './context.ts';
import { invalidField, notFound } from './fault.ts';
import { check } from './rules.ts';
import { targetFromVerdict } from './targets.ts';

const NAME = /^[A-Za-z0-9._-]{1,255}$/;

function parsePort(body: JsonObject): number {
  const port = body.port;
  if (port === undefined || port === null) return DEFAULT_AGENT_PORT;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidField('port', 'PORT_RANGE', 'port must be an integer from 1 to 65535');
  }
  return port;
}

export function parseAddHost(
  ctx: EngineContext,
  body: JsonObject,
): { name: string; target: AgentTarget } {
  const name = requiredString(body, 'name');
  if (!NAME.test(name)) {
    throw invalidField(
      'name',
      'NAME_CHARS',
      'name must be 1-255 letters, digits, dots, dashes or underscores',
    );
  }
  const address = requiredString(body, 'address');
  const target = targetFromVerdict(check(ctx.rules, 'host', 'address', address), parsePort(body));
  const identity = optionalString(body, 'identity');
  if (identity !== undefined) {
    const verdict = check(ctx.rules, 'host', 'identity', identity);
    if (verdict.zone !== undefined) {
      throw invalidField(
        'identity',
        'IDENTITY_ZONE',
        'a certificate identity never carries a zone',
      );
    }
    target.identity = targetFromVerdict(verdict, target.port).host;
  }
  return { name, target };
}

/** Which families the engine tried, from what it resolved or, failing that, what it was given. */
function familiesTried(outcome: CallOutcome, target: AgentTarget): string {
  const addresses = outcome.remote ? [outcome.remote.address] : outcome.resolved;
  const families = new Set(addresses.map((a) => (isIPv6(a.split('%')[0] ?? a) ? 'IPv6' : 'IPv4')));
  if (families.size === 0 && target.kind !== 'name')
    families.add(target.kind === 'ipv6' ? 'IPv6' : 'IPv4');
  const tried = addresses.length > 0 ? ` (tried ${addresses.join(', ')})` : '';
  return families.size === 0
    ? 'no address family (nothing resolved)'
    : `${[...families].join(' and ')}${tried}`;
}

export function failureReason(outcome: CallOutcome, target: AgentTarget): string | undefined {
  if (outcome.ok) return undefined;
  return `${outcome.phase} failed (${outcome.failure}) reaching ${displayTarget(target)} over ${familiesTried(outcome, target)}: ${outcome.message}`;
}

/** getVdsCapabilities' `info`, whether the RPC layer hands back the whole reply or just `info`. */
export function capsInfo(value: unknown): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  return isObject(value.info) ? value.info : value;
}

function recordHost(
  ctx: EngineContext,
  name: string,
  address: string,
  target: AgentTarget,
  outcome: CallOutcome,
): EngineHost {
  const host: EngineHost = {
    id: randomUUID(),
    name,
    address: address.trim(),
    canonicalAddress: target.host,
    ...(target.zone === undefined ? {} : { zone: target.zone }),
    port: target.port,
    status: outcome.ok ? 'up' : 'non_responsive',
  };
  const reason = failureReason(outcome, target);
  if (reason !== undefined) host.statusReason = reason;
  if (outcome.remote) {
    host.connection = {
      remote: outcome.remote,
      ...(outcome.local ? { local: outcome.local } : {}),
    };
  }
  const info = outcome.ok ? capsInfo(outcome.value) : undefined;
  if (typeof info?.lastClient === 'string') host.lastClient = info.lastClient;
  if (typeof info?.lastClientIface === 'string') host.lastClientIface = info.lastClientIface;
  ctx.hosts.set(host.id, { host, target });
  return host;
}

export function lookupHost(ctx: EngineContext, id: string | undefined): HostRecord {
  const record = id === undefined ? undefined : ctx.hosts.get(id);
  if (!record) throw notFound(`host ${id ?? ''}`);
  return record;
}

export async function hostsRoute(ctx: EngineContext, req: Request): Promise<Response | undefined> {
  const [, id, ...rest] = req.segments;
  if (rest.length > 0) return undefined;
  if (id === undefined && req.method === 'GET') {
    return { status: 200, body: { hosts: [...ctx.hosts.values()].map((r) => r.host) } };
  }
  if (id === undefined && req.method === 'POST') {
    const body = await req.body();
    const { name, target } = parseAddHost(ctx, body);
    if (req.dryRun) return { status: 200, body: { dryRun: true, normalized: { name, ...target } } };
    const outcome = await ctx.agentLink(target, 'getVdsCapabilities', [], ctx.agentTls);
    return { status: 201, body: recordHost(ctx, name, body.address as string, target, outcome) };
  }
  if (id !== undefined && req.method === 'GET')
    return { status: 200, body: lookupHost(ctx, id).host };
  if (id !== undefined && req.method === 'DELETE') {
    lookupHost(ctx, id);
    ctx.hosts.delete(id);
    for (const [key, a] of ctx.attachments) if (a.hostId === id) ctx.attachments.delete(key);
    return { status: 204 };
  }
  return undefined;
}
