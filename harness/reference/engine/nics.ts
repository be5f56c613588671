// GET /api/hosts/{id}/nics: the network interface table, read live from getVdsCapabilities.
import { validate } from '../../address/index.ts';
import type { NicRow } from '../../engine-client/api.ts';
import { isObject, type JsonObject } from './body.ts';
import type { EngineContext, Request, Response } from './context.ts';
import { EngineFault } from './fault.ts';
import { capsInfo, failureReason, lookupHost } from './hosts.ts';

const SECTIONS: Array<[string, NicRow['kind']]> = [
  ['nics', 'nic'],
  ['networks', 'network'],
  ['bondings', 'bond'],
  ['vlans', 'vlan'],
];

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** `FD00::0002/64` from an agent is shown as `fd00::2/64`; text the model refuses is shown as sent. */
function canonicalCidr(text: string): string {
  const [addr = '', len] = text.split('/');
  const verdict = validate('ipv6', addr);
  const shown = verdict.valid && verdict.canonical ? verdict.canonical : addr;
  return len === undefined ? shown : `${shown}/${len}`;
}

function row(name: string, kind: NicRow['kind'], entry: JsonObject): NicRow {
  let ipv4 = strings(entry.ipv4addrs);
  if (ipv4.length === 0 && typeof entry.addr === 'string' && entry.addr !== '') ipv4 = [entry.addr];
  const ipv6 = strings(entry.ipv6addrs).map(canonicalCidr);
  const gw = typeof entry.ipv6gateway === 'string' ? entry.ipv6gateway : undefined;
  return {
    name,
    kind,
    address: [...ipv4, ...ipv6].join(', '),
    ipv4Addresses: ipv4,
    ipv6Addresses: ipv6,
    ...(gw === undefined || gw === '::' ? {} : { ipv6Gateway: gw }),
  };
}

export function nicRows(info: JsonObject): NicRow[] {
  const rows: NicRow[] = [];
  for (const [section, kind] of SECTIONS) {
    const entries = info[section];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (isObject(entry)) rows.push(row(name, kind, entry));
    }
  }
  return rows;
}

export async function nicsRoute(ctx: EngineContext, req: Request): Promise<Response | undefined> {
  if (req.method !== 'GET' || req.segments.length !== 3) return undefined;
  const record = lookupHost(ctx, req.segments[1]);
  const outcome = await ctx.agentLink(record.target, 'getVdsCapabilities', [], ctx.agentTls);
  const info = outcome.ok ? capsInfo(outcome.value) : undefined;
  if (!info) {
    throw new EngineFault(
      503,
      'HOST_UNREACHABLE',
      null,
      'The host did not answer',
      failureReason(outcome, record.target) ?? 'getVdsCapabilities returned no info',
    );
  }
  return { status: 200, body: { nics: nicRows(info) } };
}
