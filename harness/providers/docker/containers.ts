// Containers, made with dockerode rather than testcontainers: a static IPv6 address needs
// EndpointsConfig.IPAMConfig at create time, testcontainers attaches aliased containers to the
// default bridge first (a second, IPv4-only interface), and a probe needs an open stdin.
import { PassThrough, type Writable } from 'node:stream';
import type Docker from 'dockerode';
import { lineChannel, type LineChannel } from '../../probe/channel.ts';
import { programPath } from '../../images/index.ts';
import { putFiles } from './image-user.ts';
import { clip, LOG_TAIL_MAX_BYTES } from '../../text/quote.ts';

/** RHEL-style names Docker's own /etc/hosts lacks. */
export const EXTRA_HOSTS = ['localhost6:::1', 'localhost6.localdomain6:::1'];

export interface ContainerOptions {
  name: string;
  image: string;
  cmd?: string[];
  labels: Record<string, string>;
  /** `{ network, aliases, ipv6, ipv4 }` joins the run network; `container:<id>` shares a namespace. */
  network: { name: string; aliases: string[]; ipv6: string; ipv4?: string } | { shareWith: string };
  files?: Array<{ path: string; content: string; mode?: number }>;
  netAdmin?: boolean;
  stdin?: boolean;
  /** `name:address` lines added to /etc/hosts besides localhost6. */
  extraHosts?: string[];
  /** The engine flavour's additions (EngineFlavour.hostConfig). */
  hostConfig?: Docker.HostConfig;
  /** Sysctls of the container's own network namespace. */
  sysctls?: Record<string, string>;
}

export async function createContainer(
  docker: Docker,
  o: ContainerOptions,
): Promise<Docker.Container> {
  const net = o.network;
  const joined = 'name' in net;
  const container = await docker.createContainer({
    name: o.name,
    Image: o.image,
    ...(o.cmd ? { Cmd: o.cmd } : {}),
    Labels: o.labels,
    OpenStdin: o.stdin ?? false,
    StdinOnce: false,
    HostConfig: {
      ...o.hostConfig,
      NetworkMode: joined ? net.name : `container:${net.shareWith}`,
      // A shared namespace also shares /etc/hosts; Docker refuses ExtraHosts there.
      ...(joined ? { ExtraHosts: [...EXTRA_HOSTS, ...(o.extraHosts ?? [])] } : {}),
      ...(o.netAdmin ? { CapAdd: ['NET_ADMIN'] } : {}),
      ...(o.sysctls ? { Sysctls: o.sysctls } : {}),
    },
    ...(joined
      ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [net.name]: {
                Aliases: net.aliases,
                IPAMConfig: {
                  IPv6Address: net.ipv6,
                  ...(net.ipv4 ? { IPv4Address: net.ipv4 } : {}),
                },
              },
            },
          },
        }
      : {}),
  });
  // Owned by the image's user: a non-root image must be able to read its 0600 key.
  if (o.files?.length) await putFiles(container, o.image, o.files);
  return container;
}

/**
 * Attaches to a probe container's stdin/stdout before it starts, so no reply is lost; stderr
 * is kept (last 8 KiB) for the error a dead probe leaves behind.
 */
export async function attachProbe(
  docker: Docker,
  container: Docker.Container,
  where: string,
  firstId?: number,
): Promise<LineChannel> {
  const stream = (await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as NodeJS.ReadWriteStream;
  // Podman hands the attach request's own JSON body to the container's stdin, unterminated: a
  // newline makes it a line of its own, which the probe answers without an id (ignored), instead
  // of the prefix of our first request. On Docker it is an empty line, which the probe skips.
  stream.write('\n');
  const channel = streamChannel(docker, stream, where, firstId);
  return {
    ...channel,
    // Podman keeps an attach connection open after its stdin ends (Docker closes it), and that
    // socket would hold this process after a kept run (`up`, `--keep`) is let go. The container's
    // own stdin stays open either way (StdinOnce: false): its probe goes on.
    close: () => {
      channel.close();
      (stream as unknown as import('node:stream').Duplex).destroy();
    },
  };
}

/**
 * The probe protocol over a hijacked, multiplexed (non-TTY) attach or exec stream: requests on
 * its stdin, replies read from its demultiplexed stdout; stderr is drained.
 */
export function streamChannel(
  docker: Docker,
  stream: NodeJS.ReadWriteStream,
  where: string,
  firstId?: number,
): LineChannel {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  stream.on('end', () => {
    stdout.end();
    stderr.end();
  });
  stderr.resume();
  return lineChannel(stream as unknown as Writable, stdout, where, firstId);
}

/** A multiplexed (non-TTY) log buffer to plain text: 8-byte frame headers, then the payload. */
export function demuxBuffer(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

export async function containerLogs(container: Docker.Container, tail = 100): Promise<string> {
  const buf = (await container.logs({
    stdout: true,
    stderr: true,
    tail,
    follow: false,
  })) as unknown as Buffer;
  // A target's log is its own text: a 4 MB line must not become a 26 MB report.
  return clip(demuxBuffer(buf), LOG_TAIL_MAX_BYTES, 'tail');
}

export const probeCmd = [programPath('probe')];

/** A command a person pastes to run `sixgate client` inside a probe container's namespace. */
export function clientCommand(probeContainer: string, argv: string[], cli = 'docker'): string {
  const quote = (a: string) => (/^[\w@+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [cli, 'exec', probeContainer, '/usr/bin/node', programPath('client'), ...argv]
    .map(quote)
    .join(' ');
}
