// The engine under test as a host of the run: a server certificate from the run CA for its API,
// the run's client pair for mutual TLS towards agents, and a probe sidecar in its namespace so
// cases can look at the network from where the engine stands.
import { programPath } from '../../images/index.ts';
import type { PlannedHost } from '../../topology/index.ts';
import type { EngineSpec } from '../contract.ts';
import {
  extraHosts,
  hostNetwork,
  makeContainer,
  startSidecar,
  startTargetContainer,
  waitListening,
  type Ctx,
  type RunningHost,
} from './start-host.ts';

const DIR = '/etc/sixgate/engine';
export const ENGINE_PATHS = {
  cert: `${DIR}/cert.pem`,
  key: `${DIR}/key.pem`,
  ca: `${DIR}/ca.pem`,
  clientCert: `${DIR}/client-cert.pem`,
  clientKey: `${DIR}/client-key.pem`,
};

/** The reference engine's flags (harness/reference/engine/run.ts); a vendor image takes the same. */
export function engineArgs(port: number): string[] {
  const p = ENGINE_PATHS;
  return [
    ...['--listen', '::', '--port', String(port)],
    ...['--cert', p.cert, '--key', p.key, '--ca', p.ca],
    ...['--client-cert', p.clientCert, '--client-key', p.clientKey],
  ];
}

export async function startEngine(
  ctx: Ctx,
  h: PlannedHost,
  spec: EngineSpec & { port: number },
): Promise<RunningHost> {
  const cert = await ctx.tls.agentCert({
    names: [...h.aliases, h.containerName],
    ula: h.ula,
    ipv4: h.ipv4,
  });
  const args = engineArgs(spec.port);
  const main = await makeContainer(ctx, {
    name: h.containerName,
    host: h,
    role: 'engine',
    image: spec.image ?? ctx.image,
    cmd: spec.image ? args : [programPath(spec.program ?? 'engine'), ...args],
    network: hostNetwork(ctx, h),
    extraHosts: extraHosts(ctx.plan),
    files: [
      { path: ENGINE_PATHS.cert, content: cert.certPem },
      { path: ENGINE_PATHS.key, content: cert.keyPem, mode: 0o600 },
      { path: ENGINE_PATHS.ca, content: ctx.tls.ca.certPem },
      { path: ENGINE_PATHS.clientCert, content: ctx.tls.client.clientCert },
      { path: ENGINE_PATHS.clientKey, content: ctx.tls.client.clientKey, mode: 0o600 },
    ],
  });
  const probeName = `${h.containerName}-probe`;
  const started = startTargetContainer(ctx, h, main, spec.image !== undefined);
  const probe = await startSidecar(ctx, h, main, probeName, started);
  const host: RunningHost = { planned: h, main, probe, probeName };
  host.slowStart = (await waitListening(ctx, host, spec.port)).retried;
  return host;
}
