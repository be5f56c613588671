// Finding the container runtime where the user configured it, the way testcontainers does, and
// telling Docker from Podman by its /version reply. The configured places come first, in
// testcontainers' order: `tc.host`, then DOCKER_HOST or `docker.host` in
// ~/.testcontainers.properties (its own strategy classes read them); then each provider's
// default sockets (Docker's are testcontainers' default and rootless socket strategies).
// testcontainers' getContainerRuntimeClient() is not used: when the configured runtime does not
// answer it quietly tries the next one, and inside a container it runs a helper image (a pull).
// The first place found is the runtime a run starts on: one that does not answer is an
// environment error, never a reason to try another. What acts on every runtime (`ps`, `down`,
// `run --on`, the sweep) asks each place in turn (runtimes.ts).
import { existsSync, realpathSync } from 'node:fs';
import { ConfigurationStrategy } from 'testcontainers/build/container-runtime/strategies/configuration-strategy.js';
import { TestcontainersHostStrategy } from 'testcontainers/build/container-runtime/strategies/testcontainers-host-strategy.js';
import { getContainerRuntimeConfig } from 'testcontainers/build/container-runtime/strategies/utils/config.js';
import type Docker from 'dockerode';
import type { RuntimeEndpoint, RuntimeVersion } from './contract.ts';
import { clientFor, parseDockerHost, runtimeVersion } from './docker/client.ts';
import { PROVIDERS, type ProviderId } from './registry.ts';

const PROPERTIES = '~/.testcontainers.properties';

export interface FoundRuntime {
  endpoint: RuntimeEndpoint;
  /** As the user would write it: `unix:///var/run/docker.sock`, `tcp://[::1]:2375`. */
  uri: string;
  /** Why this one: `DOCKER_HOST`, `docker.host in ~/.testcontainers.properties`, `default socket`… */
  strategy: string;
  /** The provider whose socket this is; for a configured address, the one it most likely is. */
  likely: ProviderId;
}

const uriOf = (e: RuntimeEndpoint) =>
  'socketPath' in e
    ? `unix://${e.socketPath}`
    : `${e.protocol === 'https' ? 'https' : 'tcp'}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;

/** A configured address names no runtime; a socket path with `podman` in it is Podman's. */
function likelyFor(uri: string): ProviderId {
  const named = (Object.keys(PROVIDERS) as ProviderId[]).find(
    (id) => PROVIDERS[id].runtime && id !== 'docker' && uri.includes(id),
  );
  return named ?? 'docker';
}

async function configured(env: NodeJS.ProcessEnv): Promise<FoundRuntime | undefined> {
  const tc = await new TestcontainersHostStrategy().getResult();
  if (tc) return fromUri(tc.uri, `tc.host in ${PROPERTIES}`, env);
  if (env.DOCKER_HOST) return fromUri(env.DOCKER_HOST, 'DOCKER_HOST', env);
  // testcontainers reads the file once per process, and DOCKER_HOST from process.env over it.
  if (process.env.DOCKER_HOST) return undefined;
  const file = await new ConfigurationStrategy().getResult();
  if (!file) return undefined;
  const { dockerTlsVerify, dockerCertPath } = await getContainerRuntimeConfig();
  const found = fromUri(file.uri, `docker.host in ${PROPERTIES}`, {
    ...env,
    DOCKER_TLS_VERIFY: dockerTlsVerify === '1' ? '1' : '',
  });
  if (dockerCertPath && !('socketPath' in found.endpoint)) found.endpoint.certPath = dockerCertPath;
  return found;
}

function fromUri(uri: string, strategy: string, env: NodeJS.ProcessEnv): FoundRuntime {
  const endpoint = parseDockerHost(uri, env);
  return { endpoint, uri: uriOf(endpoint), strategy, likely: likelyFor(uri) };
}

/**
 * Every place a runtime may be, in the order they are tried: what the user configured, then the
 * default sockets that exist (only `want`'s, when a provider was asked for). A socket reached by
 * two paths (/var/run is /run) is listed once. Asks no daemon.
 */
export async function runtimeCandidates(
  want?: ProviderId,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FoundRuntime[]> {
  const found: FoundRuntime[] = [];
  const set = await configured(env);
  if (set) found.push(set);
  const ids = (want ? [want] : (Object.keys(PROVIDERS) as ProviderId[])).filter(
    (id) => PROVIDERS[id].runtime,
  );
  for (const id of ids) {
    for (const s of await PROVIDERS[id].runtime!.sockets(env)) {
      if (existsSync(s.path))
        found.push({
          endpoint: { socketPath: s.path },
          uri: `unix://${s.path}`,
          strategy: s.strategy,
          likely: id,
        });
    }
  }
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = 'socketPath' in f.endpoint ? realSocket(f.endpoint.socketPath) : f.uri;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function realSocket(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Where the runtime is: what the user configured, else the first default socket that exists
 * (only `want`'s, when a provider was asked for). Undefined when there is none. Asks no daemon.
 */
export async function findRuntime(
  want?: ProviderId,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FoundRuntime | undefined> {
  return (await runtimeCandidates(want, env))[0];
}

export interface IdentifiedRuntime {
  docker: Docker;
  version: RuntimeVersion;
  /** The provider that drives this runtime; undefined for a Docker API no provider claims. */
  provider: ProviderId | undefined;
  /** `Docker Engine 20.10.24`, `Podman Engine 4.3.1`. */
  name: string;
}

/** Asks the runtime who it is (bounded); a NoDockerError when it does not answer in time. */
export async function identifyRuntime(
  found: FoundRuntime,
  timeoutMs?: number,
): Promise<IdentifiedRuntime> {
  const docker = clientFor(found.endpoint);
  const version = await runtimeVersion(docker, timeoutMs);
  const provider = (Object.keys(PROVIDERS) as ProviderId[]).find((id) =>
    PROVIDERS[id].runtime?.answers(version),
  );
  return { docker, version, provider, name: runtimeName(version) };
}

/** Podman names itself in Components (`Podman Engine`); Docker's engine component is `Engine`. */
export function runtimeName(v: RuntimeVersion): string {
  const c = v.Components?.find((x) => /engine/i.test(x.Name));
  const name = !c || c.Name === 'Engine' ? 'Docker Engine' : c.Name;
  return `${name} ${c?.Version ?? v.Version}`;
}

/** A client for where the user's runtime is (for `want`'s provider), or DOCKER_HOST's default. */
export async function runtimeClient(want?: ProviderId): Promise<Docker> {
  const found = await findRuntime(want);
  return clientFor(found?.endpoint ?? parseDockerHost(process.env.DOCKER_HOST));
}
