// setupNetworks, validated like vdsm's IPv4/IPv6 config model and then *recorded in memory*:
// the reference agent models the change rather than touching the kernel, so it needs no
// NET_ADMIN and a test can read the new address back through getVdsCapabilities.
import { isIPv4, isIPv6 } from 'node:net';
import type { DeviceInfo, DeviceTable } from './capabilities.ts';

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

export type Status = { code: number; message: string };

class Rejected extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function str(net: string, attrs: Record<string, unknown>, key: string): string | undefined {
  const v = attrs[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string')
    throw new Rejected(NETWORK_ERRORS.badParams, `${net}: ${key} must be a string`);
  return v;
}

function flag(net: string, attrs: Record<string, unknown>, key: string): boolean | undefined {
  const v = attrs[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw new Rejected(NETWORK_ERRORS.badParams, `${net}: ${key} must be a boolean`);
  return v;
}

function netmaskOk(mask: string): boolean {
  if (!isIPv4(mask)) return false;
  const bits = mask
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits);
}

function validate(net: string, raw: unknown, nics: Set<string>): NetworkAttrs {
  const bad = (code: number, why: string) => new Rejected(code, `${net}: ${why}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw bad(NETWORK_ERRORS.badParams, 'attributes must be a struct');
  const a = raw as Record<string, unknown>;
  const nic = str(net, a, 'nic');
  if (nic === undefined) throw bad(NETWORK_ERRORS.badParams, 'a network needs a nic');
  if (!nics.has(nic)) throw bad(NETWORK_ERRORS.badNic, `unknown nic '${nic}'`);
  const bootproto = str(net, a, 'bootproto');
  if (bootproto !== undefined && bootproto !== 'none' && bootproto !== 'dhcp')
    throw bad(NETWORK_ERRORS.badParams, `bootproto must be none or dhcp, got '${bootproto}'`);
  const out: NetworkAttrs = { nic, ...(bootproto ? { bootproto } : {}) };

  const ipaddr = str(net, a, 'ipaddr');
  const netmask = str(net, a, 'netmask');
  const gateway = str(net, a, 'gateway');
  if (ipaddr !== undefined && !isIPv4(ipaddr))
    throw bad(NETWORK_ERRORS.badAddr, `bad IPv4 address '${ipaddr}'`);
  if (netmask !== undefined && !netmaskOk(netmask))
    throw bad(NETWORK_ERRORS.badAddr, `bad netmask '${netmask}'`);
  if (gateway !== undefined && !isIPv4(gateway))
    throw bad(NETWORK_ERRORS.badAddr, `bad IPv4 gateway '${gateway}'`);
  if (ipaddr === undefined && (netmask !== undefined || gateway !== undefined))
    throw bad(NETWORK_ERRORS.badAddr, 'Specified netmask or gateway but not ip');
  if (ipaddr !== undefined && bootproto === 'dhcp')
    throw bad(NETWORK_ERRORS.badParams, 'a static ipaddr cannot be combined with bootproto dhcp');
  Object.assign(out, { ipaddr, netmask, gateway });

  const ipv6addr = str(net, a, 'ipv6addr');
  const ipv6gateway = str(net, a, 'ipv6gateway');
  const ipv6autoconf = flag(net, a, 'ipv6autoconf');
  const dhcpv6 = flag(net, a, 'dhcpv6');
  if (ipv6addr !== undefined) {
    const [addr = '', prefix, ...more] = ipv6addr.split('/');
    if (!isIPv6(addr) || addr.includes('%') || more.length > 0)
      throw bad(NETWORK_ERRORS.badAddr, `bad IPv6 address '${ipv6addr}'`);
    if (prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > 128)
      throw bad(NETWORK_ERRORS.badAddr, `IPv6 prefix must be 0-128 in '${ipv6addr}'`);
    if (ipv6autoconf || dhcpv6)
      throw bad(
        NETWORK_ERRORS.badParams,
        'Mixing of static and dynamic IPv6 configuration is currently not supported',
      );
  }
  if (ipv6gateway !== undefined) {
    if (!isIPv6(ipv6gateway) || ipv6gateway.includes('%'))
      throw bad(NETWORK_ERRORS.badAddr, `bad IPv6 gateway '${ipv6gateway}'`);
    if (ipv6addr === undefined)
      throw bad(NETWORK_ERRORS.badAddr, 'Specified IPv6 gateway but not IPv6 address');
  }
  return Object.fromEntries(
    Object.entries({ ...out, ipv6addr, ipv6gateway, ipv6autoconf, dhcpv6 }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as unknown as NetworkAttrs;
}

export class NetworkState {
  private readonly networks = new Map<string, NetworkAttrs>();

  /** All-or-nothing: a request with one bad network changes nothing. */
  setupNetworks(networks: unknown, bondings: unknown, nics: Set<string>): Status {
    try {
      if (networks === null || typeof networks !== 'object' || Array.isArray(networks))
        throw new Rejected(NETWORK_ERRORS.badParams, 'networks must be a struct');
      if (
        bondings !== undefined &&
        bondings !== null &&
        (typeof bondings !== 'object' || Object.keys(bondings).length > 0)
      ) {
        throw new Rejected(NETWORK_ERRORS.badParams, 'the reference agent does not model bondings');
      }
      const changes = Object.entries(networks as Record<string, unknown>).map(([name, attrs]) => {
        if (!/^[\w.-]{1,15}$/.test(name))
          throw new Rejected(NETWORK_ERRORS.badParams, `bad network name '${name}'`);
        const remove = (attrs as { remove?: unknown } | null)?.remove === true;
        return [name, remove ? undefined : validate(name, attrs, nics)] as const;
      });
      for (const [name, attrs] of changes) {
        if (attrs) this.networks.set(name, attrs);
        else this.networks.delete(name);
      }
      return { code: 0, message: 'Done' };
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      return { code: err.code, message: err.message };
    }
  }

  /** Each network as its nic reports it, with the modelled configuration laid over. */
  view(devices: DeviceTable): Record<string, DeviceInfo & { iface: string; bridged: boolean }> {
    const out: Record<string, DeviceInfo & { iface: string; bridged: boolean }> = {};
    for (const [name, a] of this.networks) {
      const dev = devices.get(a.nic);
      const base: DeviceInfo = dev ?? {
        addr: '',
        netmask: '',
        gateway: '',
        ipv4addrs: [],
        ipv6addrs: [],
        ipv6gateway: '::',
        mtu: '1500',
        hwaddr: '',
        cfg: {},
      };
      const prefix = a.netmask
        ? a.netmask
            .split('.')
            .reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0)
        : 32;
      out[name] = {
        ...base,
        iface: a.nic,
        bridged: false,
        ...(a.ipaddr
          ? {
              addr: a.ipaddr,
              netmask: a.netmask ?? '',
              gateway: a.gateway ?? '',
              ipv4addrs: [`${a.ipaddr}/${prefix}`],
            }
          : {}),
        ipv6addrs: [...new Set([...(a.ipv6addr ? [a.ipv6addr] : []), ...base.ipv6addrs])],
        ipv6gateway: a.ipv6gateway ?? base.ipv6gateway,
        cfg: Object.fromEntries(
          Object.entries({
            DEVICE: a.nic,
            BOOTPROTO: a.bootproto ?? 'none',
            IPADDR: a.ipaddr,
            NETMASK: a.netmask,
            GATEWAY: a.gateway,
            IPV6INIT: a.ipv6addr || a.ipv6autoconf || a.dhcpv6 ? 'yes' : 'no',
            IPV6ADDR: a.ipv6addr,
            IPV6_DEFAULTGW: a.ipv6gateway,
            IPV6_AUTOCONF: a.ipv6autoconf ? 'yes' : 'no',
            DHCPV6C: a.dhcpv6 ? 'yes' : 'no',
          }).filter((e): e is [string, string] => e[1] !== undefined),
        ),
      };
    }
    return out;
  }
}
