// What `--keep` prints: how to reach each host by hand and how to remove the run.
import type { StartedTopology } from './contract.ts';
import { PROVIDERS } from './registry.ts';

export function describeTopology(
  t: Omit<StartedTopology, 'describe' | 'down' | typeof Symbol.asyncDispose>,
): string {
  const { cli, capabilities } = PROVIDERS[t.provider];
  const lines = [
    `sixgate run ${t.runId} (${t.provider}, ${t.mode}${t.ipv6OnlyMethod ? `, ipv6-only by ${t.ipv6OnlyMethod}` : ''})`,
  ];
  if (t.network)
    lines.push(
      `  network ${t.network.name}: ${t.network.subnet6}${t.network.subnet4 ? ` + ${t.network.subnet4}` : ''}`,
    );
  for (const [key, h] of t.hosts) {
    const p = h.primary;
    const addrs = [p.ula, p.linkLocal && `${p.linkLocal}%${p.iface}`, p.ipv4]
      .filter(Boolean)
      .join('  ');
    lines.push(
      `  ${key} (${h.role}) ${h.name}: ${addrs}${h.aliases.length ? `  names: ${h.aliases.join(', ')}` : ''}`,
    );
    if (cli) {
      const probe = h.role === 'peer' ? h.name : `${h.name}-probe`;
      lines.push(`    logs:  ${cli} logs ${h.name}`);
      lines.push(
        `    probe: echo '{"id":1,"op":"listeners"}' | ${cli} attach --sig-proxy=false ${probe}   # or: ${cli} exec -i ${probe} /usr/bin/node /sixgate/probe.mjs`,
      );
    }
  }
  if (t.engine) {
    const at = t.engine.host.primary.ula ?? t.engine.host.primary.ipv4;
    lines.push(
      `  engine API: https://[${at}]:${t.engine.port}/api (certificate names ${t.engine.identity})`,
    );
  }
  for (const u of t.unavailable ?? []) lines.push(`  unavailable: ${u.what} (${u.remedy})`);
  lines.push(
    capabilities.keep
      ? `remove it with: sixgate down ${t.runId}`
      : 'local agents stop when this process exits',
  );
  return lines.join('\n');
}
