// The Docker-compatible engine client (dockerode), for an endpoint discovery found or a
// DOCKER_HOST. docker-modem itself reaches a bracketed IPv6 host (`tcp://[fd00::1]:2375`: its
// legacy url.parse drops the brackets again), but it builds a URL from the host, and a URL
// cannot carry a zone: `tcp://[fe80::1%eth0]:2375` is dialled here, with the zone, by the agent.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { release } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { NoDockerError, SixgateTimeoutError, UsageError } from '../../errors/index.ts';
import type { RuntimeEndpoint, RuntimeVersion } from '../contract.ts';

export type DockerEndpoint = RuntimeEndpoint;

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** `unix:///path`, `tcp://host:port`, `tcp://[v6]:port`, `tcp://[fe80::1%eth0]:port`. */
export function parseDockerHost(
  value: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DockerEndpoint {
  if (!value) return { socketPath: DEFAULT_DOCKER_SOCKET };
  if (value.startsWith('unix://'))
    return { socketPath: value.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET };
  const m = /^(tcp|http|https):\/\/(?:\[([^\]]+)\]|([^:/[\]]+))(?::(\d{1,5}))?\/?$/.exec(value);
  if (!m) {
    throw new UsageError(`DOCKER_HOST '${value}' is not unix://PATH or tcp://HOST[:PORT]`, {
      code: 'SIXGATE_BAD_DOCKER_HOST',
      hint: 'write an IPv6 host in brackets: tcp://[fd00::1]:2375',
    });
  }
  const tls = m[1] === 'https' || (env.DOCKER_TLS_VERIFY ?? '') !== '';
  return {
    protocol: tls ? 'https' : 'http',
    host: m[2] ?? m[3]!,
    port: Number(m[4] ?? (tls ? 2376 : 2375)),
  };
}

/** A client for one endpoint; https reads ca.pem, cert.pem, key.pem from its cert path. */
export function clientFor(endpoint: DockerEndpoint, env: NodeJS.ProcessEnv = process.env): Docker {
  // docker-modem fills what is not given from DOCKER_HOST, and a host it read there wins over
  // the socket path: a tcp DOCKER_HOST would take the place of every other runtime's socket.
  if ('socketPath' in endpoint)
    return new Docker({ socketPath: endpoint.socketPath, host: undefined, protocol: 'http' });
  const { protocol, port } = endpoint;
  const zone = endpoint.host.indexOf('%');
  // docker-modem formats the host into a URL: an IPv6 literal goes in brackets, without its zone.
  const bare = zone < 0 ? endpoint.host : endpoint.host.slice(0, zone);
  const host = bare.includes(':') ? `[${bare}]` : bare;
  const tls =
    protocol === 'https'
      ? (() => {
          const dir = endpoint.certPath ?? env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
          const read = (f: string) => readFileSync(join(dir, f));
          return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
        })()
      : {};
  return new Docker({
    protocol,
    host,
    port,
    ...tls,
    ...(zone < 0 ? {} : { agent: zonedAgent(protocol, endpoint.host, tls) }),
  } as Docker.DockerOptions);
}

/** An agent that dials the zoned address itself; the URL docker-modem built names it without. */
function zonedAgent(protocol: 'http' | 'https', zoned: string, tls: object): HttpAgent {
  const agent = protocol === 'https' ? new HttpsAgent(tls) : new HttpAgent();
  const create = agent.createConnection.bind(agent) as (o: object, cb?: unknown) => unknown;
  (agent as unknown as { createConnection: typeof create }).createConnection = (o, cb) =>
    create({ ...o, host: zoned, hostname: zoned }, cb);
  return agent;
}

/** The client for DOCKER_HOST, or the default socket when it is unset. */
export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  return clientFor(parseDockerHost(env.DOCKER_HOST, env), env);
}

export interface DockerFacts {
  engine: string;
  apiVersion: string;
  kernel: string;
  /** Docker 28+ (API 1.48) creates networks without IPv4. */
  nativeIpv6Only: boolean;
}

/** How long a daemon has to answer `/version`: a socket nobody serves must not hang a run. */
export const VERSION_TIMEOUT_MS = 10_000;

/**
 * Podman answers `/_ping` with its version in headers at once, and `/version` only after it has
 * inspected its storage and host (3 s seen on Podman 4.3, every time): a Podman runtime is
 * known by its ping. Undefined for a runtime whose ping names no libpod (Docker), which is then
 * asked /version, fast there. Its kernel is this host's when the socket is local.
 */
async function libpodPing(
  docker: Docker,
  signal: AbortSignal,
): Promise<RuntimeVersion | undefined> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    docker.modem.dial(
      {
        path: '/_ping?',
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true },
        abortSignal: signal,
      } as Parameters<typeof docker.modem.dial>[0],
      (err, r) => (err ? reject(err) : resolve(r as IncomingMessage)),
    ),
  );
  res.resume();
  const libpod = res.headers['libpod-api-version'];
  const api = res.headers['api-version'];
  if (typeof libpod !== 'string' || typeof api !== 'string') return undefined;
  const local = typeof (docker.modem as { socketPath?: unknown }).socketPath === 'string';
  return {
    Version: libpod,
    ApiVersion: api,
    ...(local ? { KernelVersion: release() } : {}),
    Components: [{ Name: 'Podman Engine', Version: libpod }],
  };
}

/** The runtime's /version reply, within VERSION_TIMEOUT_MS; a NoDockerError when it does not. */
export async function runtimeVersion(
  docker: Docker,
  timeoutMs = VERSION_TIMEOUT_MS,
): Promise<RuntimeVersion> {
  // Aborted, not just raced: a socket that accepts and never answers must not hold the process.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // A runtime without /_ping (an old or partial Docker API) is asked /version all the same.
    const podman = await libpodPing(docker, abort.signal).catch(() => undefined);
    if (podman) return podman;
    // dockerode takes `abortSignal` here; its type declarations do not say so.
    const version = docker.version.bind(docker) as unknown as (o: {
      abortSignal: AbortSignal;
    }) => Promise<RuntimeVersion>;
    return await version({ abortSignal: abort.signal });
  } catch (err) {
    throw new NoDockerError(
      abort.signal.aborted
        ? new SixgateTimeoutError('the daemon to answer /version', timeoutMs, err)
        : err,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Pings the daemon; a NoDockerError when it does not answer in time. */
export async function dockerFacts(docker: Docker): Promise<DockerFacts> {
  const v = await runtimeVersion(docker);
  const [major = 0, minor = 0] = v.ApiVersion.split('.').map(Number);
  return {
    engine: v.Version,
    apiVersion: v.ApiVersion,
    kernel: v.KernelVersion ?? 'unknown',
    nativeIpv6Only: major > 1 || (major === 1 && minor >= 48),
  };
}
