// getVdsCapabilities' `info`, in the shape vdsm reported it: nics, networks, bondings and vlans,
// each with addr, netmask, gateway, ipv4addrs, ipv6addrs ('addr/prefixlen'), ipv6gateway ('::'
// when none), ipv6autoconf, mtu and cfg; networks add iface, bridged, dhcpv4 and dhcpv6. Read
// fresh per call so a test sees the namespace as it is now.
import { networkInterfaces } from 'node:os';
import type { NetworkState } from './network-state.ts';
import {
  listInterfaces,
  readBondings,
  readIfInet6,
  readIpv4Gateways,
  readIpv6Autoconf,
  readIpv6Gateways,
  readMtu,
  readVlans,
} from './proc-net.ts';

export interface DeviceInfo {
  addr: string;
  netmask: string;
  gateway: string;
  ipv4addrs: string[];
  ipv6addrs: string[];
  ipv6gateway: string;
  /** The device's `net.ipv6.conf.<dev>.autoconf` sysctl, as vdsm reported it. */
  ipv6autoconf: boolean;
  mtu: string;
  hwaddr: string;
  cfg: Record<string, string>;
  [key: string]: unknown;
}

export type DeviceTable = Map<string, DeviceInfo>;

export function readDevices(): DeviceTable {
  const os = networkInterfaces();
  const v6 = readIfInet6();
  const gw4 = readIpv4Gateways();
  const gw6 = readIpv6Gateways();
  const names = new Set([...listInterfaces(), ...Object.keys(os)]);
  const out: DeviceTable = new Map();
  for (const name of names) {
    const addrs = os[name] ?? [];
    const v4 = addrs.filter((a) => a.family === 'IPv4');
    const fromProc = v6
      .filter((a) => a.iface === name)
      .map((a) => `${a.address}/${a.prefixLength}`);
    const fromOs = addrs.filter((a) => a.family === 'IPv6').map((a) => a.cidr ?? a.address);
    out.set(name, {
      addr: v4[0]?.address ?? '',
      netmask: v4[0]?.netmask ?? '',
      gateway: gw4.get(name) ?? '',
      ipv4addrs: v4.map((a) => a.cidr ?? a.address),
      ipv6addrs: fromProc.length > 0 ? fromProc : fromOs,
      ipv6gateway: gw6.get(name) ?? '::',
      ipv6autoconf: readIpv6Autoconf(name),
      mtu: String(readMtu(name) ?? 1500),
      hwaddr: addrs[0]?.mac ?? '',
      cfg: {},
    });
  }
  return out;
}

export function readCapabilities(
  state: NetworkState,
  peer: { lastClient: string; lastClientIface: string },
) {
  const devices = readDevices();
  const bondNames = new Set(readBondings());
  const vlans = readVlans();
  const vlanNames = new Set(vlans.map((v) => v.name));
  const pick = (keep: (n: string) => boolean) =>
    Object.fromEntries([...devices].filter(([n]) => keep(n)));
  return {
    // vdsm never listed loopback as a nic; bonds and vlans have their own tables.
    nics: pick(
      (n) => n !== 'lo' && !bondNames.has(n) && !vlanNames.has(n) && !n.startsWith('bonding_'),
    ),
    bondings: pick((n) => bondNames.has(n)),
    vlans: Object.fromEntries(
      vlans.map((v) => [v.name, { ...devices.get(v.name), iface: v.iface, vlanid: v.id }]),
    ),
    networks: state.view(devices),
    lastClient: peer.lastClient,
    lastClientIface: peer.lastClientIface,
  };
}
