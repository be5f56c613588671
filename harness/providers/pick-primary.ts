import type { Interface } from '../probe/contract.ts';
import type { StartedHost } from './contract.ts';

/**
 * The interface that carries the host's network addresses: the first non-loopback with IPv6.
 * Its ULA is `ula` when the interface has it: a host given a second one after start (an agent's
 * `@tentative` management_ip) lists both in hash order, not in the order they came.
 */
export function pickPrimary(
  interfaces: Interface[],
  preferred?: string,
  ula?: string,
): StartedHost['primary'] {
  const candidates = interfaces.filter((i) => i.name !== 'lo' && i.ipv6.length > 0);
  const i =
    candidates.find((c) => c.name === preferred) ??
    candidates.find((c) => c.ipv6.some((a) => a.scope === 'global')) ??
    candidates[0];
  if (!i) return { iface: 'lo', index: 1 };
  const ulas = i.ipv6.filter((a) => a.scope === 'global' && /^f[cd]/i.test(a.address));
  const own = ulas.find((a) => a.address === ula) ?? ulas[0];
  const linkLocal = i.ipv6.find((a) => a.scope === 'link')?.address;
  return {
    iface: i.name,
    index: i.index,
    ula: own?.address,
    linkLocal,
    ipv4: i.ipv4[0]?.address,
  };
}
