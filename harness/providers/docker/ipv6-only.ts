// IPv6-only on a daemon older than Docker 28: the network still hands out IPv4, so each tested
// namespace drops its IPv4 addresses (the probe sidecar holds NET_ADMIN), and a connect to a
// former IPv4 address proves no IPv4 path is left.
import { SixgateError } from '../../errors/index.ts';
import type { RunningHost } from './start-host.ts';

const NO_ROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH']);

export async function flushIpv4(
  hosts: RunningHost[],
): Promise<{ formerIpv4: Map<string, string> }> {
  const formerIpv4 = new Map<string, string>();
  for (const h of hosts) {
    const v4 = (await h.probe.request({ op: 'interfaces' })).flatMap((i) =>
      i.name === 'lo' ? [] : i.ipv4,
    );
    if (v4[0]) formerIpv4.set(h.planned.key, v4[0].address);
  }
  await Promise.all(hosts.map((h) => h.probe.request({ op: 'flush-ipv4' })));
  const peer = hosts.find((h) => h.planned.role === 'peer');
  const target = hosts.find((h) => h.planned.role === 'agent' && formerIpv4.has(h.planned.key));
  if (peer && target) {
    const port = target.planned.spec?.managementPort ?? 54321;
    const r = await peer.probe.request({
      op: 'tcp-connect',
      host: formerIpv4.get(target.planned.key)!,
      port,
      timeoutMs: 2000,
    });
    if (r.ok || !NO_ROUTE.has(r.code)) {
      throw new SixgateError(
        'SIXGATE_IPV6_ONLY',
        `after flushing IPv4, a connect to ${formerIpv4.get(target.planned.key)} still ${r.ok ? 'succeeds' : `fails with ${r.code}, not no-route`}`,
      );
    }
  }
  return { formerIpv4 };
}
