// The agent program, assembled from its parts. A variant swaps one part — how it listens, how it
// reports its peer, one setupNetworks rule — which is how fixtures/broken-agents build
// deliberately wrong agents.
import type { AddressInfo, ListenOptions } from 'node:net';
import { parseArgs } from 'node:util';
import { interfaceOf } from '../../rpc/interfaces.ts';
import { loadAgentConfig, type AgentConfig } from './config.ts';
import { createDispatcher, type Capabilities, type Peer, type PeerReport } from './dispatcher.ts';
import { AgentConfigError } from './errors.ts';
import { stderrLog, type AgentLog } from './log.ts';
import { referenceNetworkRules, type NetworkRules } from './network-rules.ts';
import { NetworkState } from './network-state.ts';
import { agentPaths } from './paths.ts';
import { createAgentServer, listen } from './server.ts';
import { loadTlsOptions } from './tls-context.ts';

export interface AgentVariant {
  /** Name in log lines, e.g. `agent` or `broken-agent(v6only)`. */
  name: string;
  listenOptions(config: AgentConfig): ListenOptions;
  describePeer(peer: Peer): PeerReport;
  /** Whether to demand a client certificate; the reference does what `ssl_verify_client` says. */
  verifyClient?(config: AgentConfig): boolean;
  /** What getVdsCapabilities answers, from what the namespace really has. */
  capabilities?(info: Capabilities): unknown;
  /** setupNetworks rules that differ from the reference's. */
  networkRules?: Partial<NetworkRules>;
}

export const referenceVariant: AgentVariant = {
  name: 'agent',
  // `::` leaves ipv6Only at node's default (false): one dual-stack socket, as vdsm had.
  listenOptions: (config) => ({ host: config.managementIp, port: config.managementPort }),
  describePeer: (peer) => ({
    lastClient: peer.address,
    lastClientIface:
      interfaceOf(peer.address.includes('%') ? peer.address : peer.localAddress) ?? '',
  }),
};

function display(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

export async function runAgent(
  argv: string[],
  variant: AgentVariant = referenceVariant,
): Promise<void> {
  const log: AgentLog = stderrLog(variant.name);
  const { values } = parseArgs({ args: argv, options: { root: { type: 'string' } }, strict: true });
  const paths = agentPaths(values.root ?? '/');
  let config: AgentConfig;
  let tls;
  try {
    config = loadAgentConfig(paths.config);
    tls = loadTlsOptions(paths, variant.verifyClient?.(config) ?? config.verifyClient);
  } catch (err) {
    log(`invalid config: ${(err as Error).message}`);
    process.exit(err instanceof AgentConfigError ? err.exitCode : 2);
  }
  const server = createAgentServer(
    tls,
    createDispatcher(
      new NetworkState({ ...referenceNetworkRules, ...variant.networkRules }),
      variant.describePeer,
      variant.capabilities,
    ),
    log,
  );
  const options = variant.listenOptions(config);
  try {
    await listen(server, options);
  } catch (err) {
    log(`cannot listen on ${options.host} port ${options.port}: ${(err as Error).message}`);
    process.exit(1);
  }
  const mode = config.verifyClient ? 'mutual TLS' : 'server-only TLS';
  log(
    `listening on ${display(server.address() as AddressInfo)} (management_ip ${config.managementIp}, ${mode})`,
  );
  const stop = (signal: string) => {
    log(`${signal}: shutting down`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
