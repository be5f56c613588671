// setupNetworks, checked by network-rules.ts and then *recorded in memory*: the reference agent
// models the change rather than touching the kernel, so it needs no NET_ADMIN and a test can
// read the new configuration back through getVdsCapabilities.
import type { DeviceInfo, DeviceTable } from './capabilities.ts';
import {
  NETWORK_ERRORS,
  type NetworkAttrs,
  NetworkRefused,
  type NetworkRules,
  referenceNetworkRules,
  validateNetwork,
} from './network-rules.ts';

export type Status = { code: number; message: string };

/** A network as getVdsCapabilities reports it: its device's facts with the configuration laid over. */
export type NetworkView = DeviceInfo & {
  iface: string;
  bridged: boolean;
  /** A DHCPv6 client runs for it. */
  dhcpv6: boolean;
  /** A DHCP (IPv4) client runs for it: bootproto dhcp. */
  dhcpv4: boolean;
};

export class NetworkState {
  private readonly networks = new Map<string, NetworkAttrs>();

  constructor(private readonly rules: NetworkRules = referenceNetworkRules) {}

  /** All-or-nothing: a request with one bad network changes nothing. */
  setupNetworks(networks: unknown, bondings: unknown, nics: Set<string>): Status {
    try {
      const request = (rule: string) =>
        new NetworkRefused({ code: NETWORK_ERRORS.badParams, network: 'setupNetworks', rule });
      if (networks === null || typeof networks !== 'object' || Array.isArray(networks))
        throw request('networks must be a struct');
      if (
        bondings !== undefined &&
        bondings !== null &&
        (typeof bondings !== 'object' || Object.keys(bondings).length > 0)
      ) {
        throw request('the reference agent does not model bondings');
      }
      const changes = Object.entries(networks as Record<string, unknown>).map(([name, attrs]) => {
        if (!/^[\w.-]{1,15}$/.test(name))
          throw request(`'${name}' is not a network name (1-15 letters, digits, '.', '-', '_')`);
        const remove = (attrs as { remove?: unknown } | null)?.remove === true;
        return [name, remove ? undefined : validateNetwork(this.rules, name, attrs, nics)] as const;
      });
      for (const [name, attrs] of changes) {
        if (attrs) this.networks.set(name, this.rules.record(attrs));
        else this.networks.delete(name);
      }
      return { code: 0, message: 'Done' };
    } catch (err) {
      if (!(err instanceof NetworkRefused)) throw err;
      return { code: err.refusal.code, message: this.rules.refusal(err.refusal) };
    }
  }

  /** Each network as its nic reports it, with the modelled configuration laid over. */
  view(devices: DeviceTable): Record<string, NetworkView> {
    const out: Record<string, NetworkView> = {};
    for (const [name, a] of this.networks) {
      const dev = devices.get(a.nic);
      const base: DeviceInfo = dev ?? {
        addr: '',
        netmask: '',
        gateway: '',
        ipv4addrs: [],
        ipv6addrs: [],
        ipv6gateway: '::',
        ipv6autoconf: false,
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
        ipv6autoconf: a.ipv6autoconf ?? base.ipv6autoconf,
        dhcpv6: a.dhcpv6 ?? false,
        dhcpv4: a.bootproto === 'dhcp',
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
