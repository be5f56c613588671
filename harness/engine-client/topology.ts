// A client for the engine container of a run. The harness runs on the Docker host, which reaches
// the run's bridge by IPv6 in both modes (IPv6-only flushes the containers' IPv4), so it dials
// the engine's ULA and checks the certificate against the engine's name.
import { UsageError } from '../errors/index.ts';
import type { StartedTopology } from '../providers/contract.ts';
import { EngineClient, type EngineClientOptions } from './client.ts';

export function engineClientFor(
  topology: Pick<StartedTopology, 'runId' | 'engine'>,
  options: Partial<Omit<EngineClientOptions, 'tls'>> = {},
): EngineClient {
  const engine = topology.engine;
  const ula = engine?.host.primary.ula;
  if (!engine || !ula) {
    throw new UsageError(`run ${topology.runId} has no engine container with a ULA to reach`, {
      hint: 'start the topology with { engine: true } on the docker provider',
    });
  }
  return new EngineClient({
    host: ula,
    port: engine.port,
    ...(engine.apiBase ? { apiBase: engine.apiBase } : {}),
    ...options,
    tls: { ca: engine.ca, identity: engine.identity },
  });
}
