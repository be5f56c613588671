// The Docker client. DOCKER_HOST is parsed here, not by docker-modem: it runs the value through
// WHATWG URL, whose hostname keeps the brackets of `tcp://[fd00::1]:2375` and so never connects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { NoDockerError, UsageError } from '../../errors/index.ts';

export type DockerEndpoint =
  { socketPath: string } | { protocol: 'http' | 'https'; host: string; port: number };

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** `unix:///path`, `tcp://host:port`, `tcp://[v6]:port`, `tcp://[fe80::1%eth0]:port`. */
export function parseDockerHost(value: string | undefined): DockerEndpoint {
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
  const tls = m[1] === 'https' || (process.env.DOCKER_TLS_VERIFY ?? '') !== '';
  return {
    protocol: tls ? 'https' : 'http',
    host: m[2] ?? m[3]!,
    port: Number(m[4] ?? (tls ? 2376 : 2375)),
  };
}

export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const endpoint = parseDockerHost(env.DOCKER_HOST);
  if ('socketPath' in endpoint) return new Docker(endpoint);
  // docker-modem formats the host into a URL unbracketed: an IPv6 literal must carry its brackets.
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  if (endpoint.protocol === 'http') return new Docker({ ...endpoint, host });
  const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
  const read = (f: string) => readFileSync(join(dir, f));
  return new Docker({
    ...endpoint,
    host,
    ca: read('ca.pem'),
    cert: read('cert.pem'),
    key: read('key.pem'),
  });
}

export interface DockerFacts {
  engine: string;
  apiVersion: string;
  kernel: string;
  /** Docker 28+ (API 1.48) creates networks without IPv4. */
  nativeIpv6Only: boolean;
}

/** Pings the daemon; a NoDockerError when it does not answer. */
export async function dockerFacts(docker: Docker): Promise<DockerFacts> {
  let v: Docker.DockerVersion;
  try {
    v = await docker.version();
  } catch (err) {
    throw new NoDockerError(err);
  }
  const [major = 0, minor = 0] = v.ApiVersion.split('.').map(Number);
  return {
    engine: v.Version,
    apiVersion: v.ApiVersion,
    kernel: v.KernelVersion,
    nativeIpv6Only: major > 1 || (major === 1 && minor >= 48),
  };
}
