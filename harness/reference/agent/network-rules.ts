// setupNetworks' checks, as vdsm's netmodels made them, with the gaps vdsm left closed: a gateway
// must be a unicast next hop, /128 is a prefix, and every refusal names the value at fault. The
// checks that real agents get wrong are named rules, so a broken agent (fixtures/broken-agents)
// swaps one for a buggy one; what a refusal says and what an accepted network records are too.
import { isIPv4, isIPv6 } from 'node:net';
import { validate } from '../../address/index.ts';
import { SixgateError } from '../../errors/index.ts';

/** vdsm's network error codes (vdsm/network/errors.py) that these rules raise. */
export const NETWORK_ERRORS = { badParams: 21, badAddr: 22, badNic: 23 } as const;

export interface NetworkAttrs {
  nic: string;
  bootproto?: 'none' | 'dhcp';
  ipaddr?: string;
  netmask?: string;
  gateway?: string;
  ipv6addr?: string;
  ipv6gateway?: string;
  ipv6autoconf?: boolean;
  dhcpv6?: boolean;
}

/** Why a request was refused: the status code, the network, and the attribute and value at fault. */
export interface Refusal {
  code: number;
  network: string;
  attribute?: string;
  /** As the caller sent it. */
  value?: unknown;
  /** The rule that was broken, in words. */
  rule: string;
}

/** A refused setupNetworks request; the agent answers it as a status, never as a fault. */
export class NetworkRefused extends SixgateError {
  constructor(readonly refusal: Refusal) {
    super('SIXGATE_AGENT_NETWORK_REFUSED', `${refusal.network}: ${refusal.rule}`);
  }
}

export interface NetworkRules {
  /** Why the text after `/` in ipv6addr is not a prefix length, or undefined when it is. */
  ipv6Prefix(text: string): string | undefined;
  /** Why ipv6gateway cannot be this network's next hop, or undefined when it can. */
  ipv6Gateway(text: string): string | undefined;
  /** Why a static ipv6addr cannot go with these dynamic settings, or undefined when it can. */
  ipv6Mixed(dynamic: { ipv6autoconf?: boolean; dhcpv6?: boolean }): string | undefined;
  /** The message of the status a refusal is answered with. */
  refusal(r: Refusal): string;
  /** What an accepted network leaves behind, for getVdsCapabilities to report. */
  record(attrs: NetworkAttrs): NetworkAttrs;
}

export const referenceNetworkRules: NetworkRules = {
  // vdsm's netmodels stop at 127; a /128 host address is valid (RFC 4291 §2.3) and the seed's
  // engine field takes 0-128.
  ipv6Prefix: (text) =>
    /^\d{1,3}$/.test(text) && Number(text) <= 128
      ? undefined
      : `has prefix '${text}', not a prefix length 0-128`,
  // vdsm checked only the syntax and left the rest to the kernel's 'Invalid gateway address'; the
  // address model's gateway rule (unicast, link-local allowed) is the one the engine applies too.
  ipv6Gateway: (text) => {
    if (text.includes('%')) return "carries a zone; the network's nic is the gateway's link";
    const verdict = validate('gateway', text);
    if (!verdict.valid) return `is not a usable gateway: ${verdict.reason.message}`;
    return (verdict.canonical ?? text).includes(':') ? undefined : 'is not an IPv6 address';
  },
  ipv6Mixed: ({ ipv6autoconf, dhcpv6 }) => {
    const dynamic = ipv6autoconf ? 'ipv6autoconf' : dhcpv6 ? 'dhcpv6' : undefined;
    return dynamic === undefined
      ? undefined
      : `cannot be combined with ${dynamic}: static and dynamic IPv6 configuration together are not supported`;
  },
  refusal: (r) =>
    r.attribute === undefined
      ? `${r.network}: ${r.rule}`
      : `${r.network}: ${r.attribute} '${String(r.value)}' ${r.rule}`,
  record: (attrs) => attrs,
};

type Raw = Record<string, unknown>;

function netmaskOk(mask: string): boolean {
  if (!isIPv4(mask)) return false;
  const bits = mask
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits);
}

/** One network's attributes, checked; throws NetworkRefused naming what is wrong. */
export function validateNetwork(
  rules: NetworkRules,
  network: string,
  raw: unknown,
  nics: Set<string>,
): NetworkAttrs {
  const refuse = (code: number, rule: string, attribute?: string, value?: unknown) =>
    new NetworkRefused({
      code,
      network,
      rule,
      ...(attribute === undefined ? {} : { attribute, value }),
    });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw refuse(NETWORK_ERRORS.badParams, 'attributes must be a struct');
  const a = raw as Raw;
  const str = (key: string): string | undefined => {
    const v = a[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw refuse(NETWORK_ERRORS.badParams, 'must be a string', key, v);
    return v;
  };
  const flag = (key: string): boolean | undefined => {
    const v = a[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw refuse(NETWORK_ERRORS.badParams, 'must be a boolean', key, v);
    return v;
  };

  const nic = str('nic');
  if (nic === undefined) throw refuse(NETWORK_ERRORS.badParams, 'a network needs a nic');
  if (!nics.has(nic)) throw refuse(NETWORK_ERRORS.badNic, 'is not a nic of this host', 'nic', nic);
  const bootproto = str('bootproto');
  if (bootproto !== undefined && bootproto !== 'none' && bootproto !== 'dhcp')
    throw refuse(NETWORK_ERRORS.badParams, 'must be none or dhcp', 'bootproto', bootproto);

  const ipaddr = str('ipaddr');
  const netmask = str('netmask');
  const gateway = str('gateway');
  if (ipaddr !== undefined && !isIPv4(ipaddr))
    throw refuse(NETWORK_ERRORS.badAddr, 'is not an IPv4 address', 'ipaddr', ipaddr);
  if (netmask !== undefined && !netmaskOk(netmask))
    throw refuse(NETWORK_ERRORS.badAddr, 'is not an IPv4 netmask', 'netmask', netmask);
  if (gateway !== undefined && !isIPv4(gateway))
    throw refuse(NETWORK_ERRORS.badAddr, 'is not an IPv4 address', 'gateway', gateway);
  if (ipaddr === undefined && (netmask !== undefined || gateway !== undefined))
    throw refuse(NETWORK_ERRORS.badAddr, 'Specified netmask or gateway but not ipaddr');
  if (ipaddr !== undefined && bootproto === 'dhcp')
    throw refuse(
      NETWORK_ERRORS.badAddr,
      'cannot be combined with bootproto dhcp',
      'ipaddr',
      ipaddr,
    );

  const ipv6addr = str('ipv6addr');
  const ipv6gateway = str('ipv6gateway');
  const ipv6autoconf = flag('ipv6autoconf');
  const dhcpv6 = flag('dhcpv6');
  if (ipv6addr !== undefined) {
    const [addr = '', prefix, ...more] = ipv6addr.split('/');
    if (!isIPv6(addr) || addr.includes('%') || more.length > 0)
      throw refuse(NETWORK_ERRORS.badAddr, 'is not an IPv6 address/prefix', 'ipv6addr', ipv6addr);
    if (prefix === undefined)
      throw refuse(
        NETWORK_ERRORS.badAddr,
        'needs a prefix length (addr/len)',
        'ipv6addr',
        ipv6addr,
      );
    const badPrefix = rules.ipv6Prefix(prefix);
    if (badPrefix) throw refuse(NETWORK_ERRORS.badAddr, badPrefix, 'ipv6addr', ipv6addr);
    const mixed = rules.ipv6Mixed({ ipv6autoconf, dhcpv6 });
    if (mixed) throw refuse(NETWORK_ERRORS.badAddr, mixed, 'ipv6addr', ipv6addr);
  }
  if (ipv6gateway !== undefined) {
    const badGateway = rules.ipv6Gateway(ipv6gateway);
    if (badGateway) throw refuse(NETWORK_ERRORS.badAddr, badGateway, 'ipv6gateway', ipv6gateway);
    if (ipv6addr === undefined)
      throw refuse(NETWORK_ERRORS.badAddr, 'Specified ipv6gateway but not ipv6addr');
  }
  const attrs = {
    nic,
    bootproto,
    ipaddr,
    netmask,
    gateway,
    ipv6addr,
    ipv6gateway,
    ipv6autoconf,
    dhcpv6,
  };
  return Object.fromEntries(
    Object.entries(attrs).filter(([, v]) => v !== undefined),
  ) as unknown as NetworkAttrs;
}
