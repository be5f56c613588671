// POST /api/hosts/{id}/networkattachments: the engine's boot-protocol rules, then the agent's
// setupNetworks with vdsm's historic attribute names.
import { randomUUID } from 'node:crypto';
import type {
  Ipv4BootProtocol,
  Ipv6BootProtocol,
  NetworkAttachment,
} from '../../engine-client/api.ts';
import type { CallOutcome } from '../../rpc/contract.ts';
import { oneOf, optionalObject, optionalString, requiredString, type JsonObject } from './body.ts';
import type { EngineContext, Request, Response } from './context.ts';
import { EngineFault, invalidField } from './fault.ts';
import { lookupHost, failureReason } from './hosts.ts';
import { check, familyOf, type EngineRules } from './rules.ts';

// Network and NIC names become Linux interface names: at most 15 characters.
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const IFNAME_RULE = (field: string) =>
  `${field} must be 1-15 letters, digits, dots, dashes or underscores (an interface name)`;
type Attributes = Record<string, string | boolean>;

/** A member that may only be set for a static boot protocol. */
function present(obj: JsonObject, key: string): boolean {
  const value = obj[key];
  return value !== undefined && value !== null && value !== '';
}

function staticOnly(obj: JsonObject, keys: string[], prefix: string, protocol: string): void {
  for (const key of keys) {
    if (present(obj, key)) {
      throw invalidField(
        `${prefix}.${key}`,
        'STATIC_ONLY',
        `${prefix}.${key} must be empty when bootProtocol is ${protocol}; it is set only for static`,
      );
    }
  }
}

function gateway(
  rules: EngineRules,
  obj: JsonObject,
  prefix: string,
  family: 4 | 6,
): string | undefined {
  const text = optionalString(obj, 'gateway', prefix);
  if (text === undefined || text === '') return undefined;
  const verdict = check(rules, 'gateway', `${prefix}.gateway`, text);
  if (familyOf(verdict) !== family) {
    throw invalidField(
      `${prefix}.gateway`,
      'GATEWAY_FAMILY',
      `${prefix}.gateway must be an IPv${family} address`,
    );
  }
  return verdict.canonical ?? text.trim();
}

function prefixText(obj: JsonObject): string {
  const value = obj.prefix;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : 'not-an-integer';
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) {
    throw invalidField(
      'ipv6.prefix',
      'REQUIRED',
      'ipv6.prefix is required when bootProtocol is static',
    );
  }
  throw invalidField(
    'ipv6.prefix',
    'WRONG_TYPE',
    'ipv6.prefix must be a number or its decimal text',
  );
}

function ipv6Attributes(rules: EngineRules, v6: JsonObject): Attributes {
  const protocol = oneOf<Ipv6BootProtocol>(
    v6,
    'bootProtocol',
    ['none', 'dhcp', 'autoconf', 'static'],
    'ipv6',
  );
  const attrs: Attributes = { ipv6autoconf: protocol === 'autoconf', dhcpv6: protocol === 'dhcp' };
  if (protocol !== 'static') {
    staticOnly(v6, ['address', 'prefix', 'gateway'], 'ipv6', protocol);
    return attrs;
  }
  // A zone on a static address is accepted as the address model accepts it and then dropped:
  // the address is configured on the attachment's own NIC, which is its zone.
  const address = check(rules, 'ipv6', 'ipv6.address', requiredString(v6, 'address', 'ipv6'));
  const prefix = check(rules, 'prefix', 'ipv6.prefix', prefixText(v6));
  attrs.ipv6addr = `${address.canonical ?? address.input.trim()}/${prefix.canonical ?? prefix.input.trim()}`;
  const gw = gateway(rules, v6, 'ipv6', 6);
  if (gw !== undefined) attrs.ipv6gateway = gw;
  return attrs;
}

function ipv4Attributes(rules: EngineRules, v4: JsonObject): Attributes {
  const protocol = oneOf<Ipv4BootProtocol>(v4, 'bootProtocol', ['none', 'dhcp', 'static'], 'ipv4');
  if (protocol !== 'static') {
    staticOnly(v4, ['address', 'netmask', 'gateway'], 'ipv4', protocol);
    return { bootproto: protocol };
  }
  const address = check(rules, 'ipv4', 'ipv4.address', requiredString(v4, 'address', 'ipv4'));
  const netmask = check(rules, 'netmask', 'ipv4.netmask', requiredString(v4, 'netmask', 'ipv4'));
  const attrs: Attributes = {
    bootproto: 'none',
    ipaddr: address.canonical ?? address.input.trim(),
    netmask: netmask.canonical ?? netmask.input.trim(),
  };
  const gw = gateway(rules, v4, 'ipv4', 4);
  if (gw !== undefined) attrs.gateway = gw;
  return attrs;
}

export function parseAttachment(
  rules: EngineRules,
  body: JsonObject,
): { network: string; attrs: Attributes } {
  const network = requiredString(body, 'network');
  if (!IFNAME.test(network)) throw invalidField('network', 'IFNAME', IFNAME_RULE('network'));
  const nic = requiredString(body, 'nic');
  if (!IFNAME.test(nic)) throw invalidField('nic', 'IFNAME', IFNAME_RULE('nic'));
  const v4 = optionalObject(body, 'ipv4');
  const v6 = optionalObject(body, 'ipv6');
  if (!v4 && !v6)
    throw invalidField('ipv6', 'REQUIRED', 'an attachment needs ipv4 or ipv6 settings');
  return {
    network,
    attrs: {
      nic,
      ...(v4 ? ipv4Attributes(rules, v4) : {}),
      ...(v6 ? ipv6Attributes(rules, v6) : {}),
    },
  };
}

export async function attachmentsRoute(
  ctx: EngineContext,
  req: Request,
): Promise<Response | undefined> {
  const [, id, , ...rest] = req.segments;
  if (rest.length > 0 || req.method !== 'POST') return undefined;
  const body = await req.body();
  // Validation comes before the host lookup, so a dry run checks a body without any host.
  const { network, attrs } = parseAttachment(ctx.rules, body);
  if (req.dryRun) return { status: 200, body: { dryRun: true, normalized: { network, ...attrs } } };
  const record = lookupHost(ctx, id);
  const outcome = await ctx.agentLink(
    record.target,
    'setupNetworks',
    [{ [network]: attrs }, {}, { connectivityCheck: false }],
    ctx.agentTls,
  );
  const refusal = statusFailure(outcome);
  if (refusal) {
    throw new EngineFault(
      400,
      'AGENT_REFUSED',
      null,
      'The agent refused the network configuration',
      `agent error ${refusal.code}: ${refusal.message}`,
      refusal.code,
    );
  }
  if (!outcome.ok) {
    throw new EngineFault(
      503,
      'HOST_UNREACHABLE',
      null,
      'The host did not answer',
      failureReason(outcome, record.target) ?? '',
    );
  }
  const attachment: NetworkAttachment = {
    id: randomUUID(),
    hostId: record.host.id,
    network,
    agentAttributes: attrs,
  };
  ctx.attachments.set(attachment.id, attachment);
  return { status: 201, body: attachment };
}

/** harness/rpc reports a nonzero status as a failure carrying the agent's code as text. */
function statusFailure(outcome: CallOutcome): { code: number; message: string } | undefined {
  if (outcome.ok || outcome.failure !== 'status-nonzero') return undefined;
  return { code: Number(outcome.code), message: outcome.message.replace(/^status \S+: /, '') };
}
