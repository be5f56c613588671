// The subject-alt-names an agent certificate carries. `ipv6Sans: false` builds the broken
// target "certificate lacks IPv6 names" (AgentSpec.ipv6Sans) from the same list.
import { isIPv6 } from 'node:net';

export interface AgentSanInput {
  /** The agent's DNS names (container aliases, host name). */
  names?: string[];
  /** The agent's unique-local address, without zone. */
  ula?: string;
  /** The address management_ip names, when it is another than the ULA (added after start). */
  managementIp?: string;
  ipv4?: string;
  /** @default true */
  ipv6Sans?: boolean;
}

export interface SanList {
  dnsNames: string[];
  ipAddresses: string[];
}

export function agentSans(input: AgentSanInput): SanList {
  const withV6 = input.ipv6Sans ?? true;
  // localhost6 is a name, but it only ever means ::1: a certificate without IPv6 names omits it.
  const dnsNames = [...(input.names ?? []), ...(withV6 ? ['localhost6'] : []), 'localhost'];
  const ips = [...(withV6 ? ['::1'] : []), input.ula, input.managementIp, '127.0.0.1', input.ipv4];
  const ipAddresses = ips.filter((ip): ip is string => ip !== undefined && (withV6 || !isIPv6(ip)));
  return { dnsNames: [...new Set(dnsNames)], ipAddresses: [...new Set(ipAddresses)] };
}
