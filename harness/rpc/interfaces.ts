// Zone → interface. libuv resolves a zone with if_nametoindex only, so a numeric zone (`%4`)
// fails with EINVAL at connect; we map it to the interface name first. /sys/class/net lists
// interfaces without addresses too, which os.networkInterfaces() omits.
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

function sysInterfaces(): Map<string, number> {
  const out = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync('/sys/class/net');
  } catch {
    return out; // not Linux, or /sys not mounted: fall back to os.networkInterfaces()
  }
  for (const name of names) {
    try {
      out.set(name, Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim()));
    } catch {
      // an interface that vanished between readdir and read
    }
  }
  return out;
}

/** The interface name a zone denotes, or undefined when no interface matches. */
export function zoneInterface(zone: string): string | undefined {
  const sys = sysInterfaces();
  if (/^\d+$/.test(zone)) {
    const index = Number(zone);
    for (const [name, i] of sys) if (i === index) return name;
    for (const [name, addrs] of Object.entries(networkInterfaces())) {
      if (addrs?.some((a) => a.family === 'IPv6' && a.scopeid === index)) return name;
    }
    return undefined;
  }
  return sys.has(zone) || networkInterfaces()[zone] !== undefined ? zone : undefined;
}

/** Which local interface holds `address` (zone and IPv4-mapped prefix ignored). */
export function interfaceOf(address: string): string | undefined {
  const zone = /%(.+)$/.exec(address)?.[1];
  if (zone !== undefined) return zoneInterface(zone);
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (addrs?.some((a) => a.address.toLowerCase() === plain)) return name;
  }
  return undefined;
}
