// environment.json: what produced a certification — which sixgate (and commit), which Node, which
// container engine and kernel, the host's IPv6 sysctls, which images — so a verdict can be traced,
// and a doubting reader can rerun it on the same images.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { arch, machine, platform, release, version as osVersion } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { sixgateVersion } from '../cli/version.ts';
import { PACKAGE_ROOT as ROOT } from '../package-root.ts';
import { PROVIDERS, type ProviderId } from '../providers/registry.ts';

const run = promisify(execFile);

/** The host's settings that change how IPv6 behaves in every container it starts. */
export const SYSCTLS = [
  ...['all', 'default'].flatMap((i) =>
    [
      'disable_ipv6',
      'forwarding',
      'accept_dad',
      'dad_transmits',
      'optimistic_dad',
      'accept_ra',
      'autoconf',
      'use_tempaddr',
      'keep_addr_on_down',
    ].map((k) => `net.ipv6.conf.${i}.${k}`),
  ),
  'net.ipv6.bindv6only',
  'net.ipv6.ip_nonlocal_bind',
  'net.ipv4.ip_forward',
  'net.ipv4.ip_unprivileged_port_start',
  'net.bridge.bridge-nf-call-ip6tables',
];

/** An image the run's containers ran: as referenced, its id, its repo digest if it has one. */
export interface ImageRecord {
  reference: string;
  id: string;
  digest?: string;
  /** `<mode>/<host>` of each container that ran it. */
  containers: string[];
}

export interface Environment {
  sixgate: { version: string; commit: string | null; modified: boolean | null };
  node: { version: string; platform: string; arch: string };
  containerEngine:
    { name: string; version: string; apiVersion: string; kernel: string } | { error: string };
  kernel: { release: string; version: string; machine: string };
  /** Read from /proc/sys on the host running sixgate; null where the kernel has no such key. */
  sysctls: Record<string, string | null>;
  images: ImageRecord[];
  profile: { file: string };
  run: { startedAt: string; endedAt: string; interrupted: string | null };
}

async function readSysctl(key: string): Promise<string | null> {
  try {
    const fh = await open(join('/proc/sys', ...key.split('.')), 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).toString('utf8').trim();
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

/** The commit of the sixgate checkout that ran, and whether tracked files differ from it. */
async function gitState(): Promise<Environment['sixgate']> {
  const base = { version: sixgateVersion(), commit: null, modified: null };
  // Only sixgate's own checkout: an installed package inside someone's repository is not one.
  if (!existsSync(join(ROOT, '.git'))) return base;
  const git = (args: string[]) =>
    run('git', args, { cwd: ROOT, timeout: 10_000, maxBuffer: 1 << 20 }).then((r) => r.stdout);
  try {
    const commit = (await git(['rev-parse', 'HEAD'])).trim();
    const status = await git(['status', '--porcelain', '--untracked-files=no']).catch(() => null);
    return { ...base, commit, modified: status === null ? null : status.trim() !== '' };
  } catch {
    return base;
  }
}

async function engineFacts(docker: Docker | undefined): Promise<Environment['containerEngine']> {
  if (!docker) return { error: 'no container engine was used (local provider)' };
  try {
    const v = await docker.version();
    // Named as the provider that claims its /version reply: the same test `auto` makes.
    const ids = Object.keys(PROVIDERS) as ProviderId[];
    return {
      name: ids.find((id) => PROVIDERS[id].runtime?.answers(v)) ?? 'unknown',
      version: v.Version,
      apiVersion: v.ApiVersion,
      kernel: v.KernelVersion,
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export async function collectEnvironment(o: {
  docker?: Docker;
  images: ImageRecord[];
  profileFile: string;
  startedAt: Date;
  endedAt: Date;
  interrupted?: string;
}): Promise<Environment> {
  const sysctls: Record<string, string | null> = {};
  for (const key of SYSCTLS) sysctls[key] = await readSysctl(key);
  return {
    sixgate: await gitState(),
    node: { version: process.version, platform: platform(), arch: arch() },
    containerEngine: await engineFacts(o.docker),
    kernel: { release: release(), version: osVersion(), machine: machine() },
    sysctls,
    images: o.images,
    profile: { file: o.profileFile },
    run: {
      startedAt: o.startedAt.toISOString(),
      endedAt: o.endedAt.toISOString(),
      interrupted: o.interrupted ?? null,
    },
  };
}
