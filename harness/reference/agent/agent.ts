// The agent program, assembled from its parts. A variant swaps one part — how it listens, how it
// reports its peer, one setupNetworks rule — which is how fixtures/broken-agents build
// deliberately wrong agents.
import type { Server } from 'node:https';
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
  /**
   * What to do while management_ip is not an address of this host: bind(2) fails with
   * EADDRNOTAVAIL while it is absent, and while it is tentative (RFC 4862 §5.4). The reference
   * waits for it, as an agent started at boot must; `give-up` exits, as the historic agent did.
   * @default 'wait'
   */
  unbindable?: 'wait' | 'give-up';
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

/** The longest pause between two binds to an address the host does not have yet. */
const BIND_RETRY_MAX_MS = 1000;

/**
 * Listens, retrying with a backoff (100 ms, doubling, at most BIND_RETRY_MAX_MS apart) while the
 * address is not bindable yet; says so once, so the log shows why nothing listens.
 */
async function listenWhenBindable(
  server: Server,
  options: ListenOptions,
  log: AgentLog,
): Promise<void> {
  for (let delay = 100, said = false; ; delay = Math.min(2 * delay, BIND_RETRY_MAX_MS)) {
    try {
      return await listen(server, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
      if (!said) {
        log(
          `management_ip ${options.host} is not an address of this host yet (EADDRNOTAVAIL: absent, or tentative while duplicate address detection runs): retrying until it is`,
        );
        said = true;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

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
    if ((variant.unbindable ?? 'wait') === 'wait') await listenWhenBindable(server, options, log);
    else await listen(server, options);
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
