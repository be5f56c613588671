// What a FROM-scratch image needs to run node: the host's node binary, the shared libraries
// ldd lists, glibc's NSS modules (loaded with dlopen, so ldd never shows them) and iproute2's
// `ip` for the IPv6-only fallback.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { ImageBuildError } from './errors.ts';
import type { TarEntry } from './tar.ts';

const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

/** True when this host's node can run in a Linux container as it is. */
export async function hostNodeIsPortable(): Promise<{ ok: boolean; why?: string }> {
  if (process.platform !== 'linux')
    return { ok: false, why: `node runs on ${process.platform}, not Linux` };
  if (process.arch !== 'x64' && process.arch !== 'arm64')
    return { ok: false, why: `node is built for ${process.arch}` };
  const fh = await open(process.execPath, 'r');
  try {
    const magic = Buffer.alloc(4);
    await fh.read(magic, 0, 4, 0);
    if (!magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))
      return { ok: false, why: `${process.execPath} is not an ELF binary` };
  } finally {
    await fh.close();
  }
  return { ok: true };
}

async function ldd(binary: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('ldd', [binary]));
  } catch (err) {
    throw new ImageBuildError(`ldd ${binary} failed`, err);
  }
  const libs: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

export function findIp(): string | undefined {
  return IP_CANDIDATES.find((p) => existsSync(p));
}

/** Files of the runtime layer: node at /usr/bin/node, `ip` at /usr/sbin/ip, their libraries. */
export async function runtimeFiles(): Promise<Array<TarEntry & { from?: string }>> {
  const ip = findIp();
  if (!ip)
    throw new ImageBuildError(
      'iproute2 is not installed (no `ip` binary)',
      undefined,
      'apt-get install iproute2',
    );
  const libs = new Set([...(await ldd(process.execPath)), ...(await ldd(ip))]);
  const libc = [...libs].find((l) => /\/libc\.so\.6$/.test(l));
  if (libc) {
    for (const nss of ['libnss_files.so.2', 'libnss_dns.so.2', 'libresolv.so.2']) {
      const p = `${dirname(libc)}/${nss}`;
      if (existsSync(p)) libs.add(p);
    }
  }
  const entries: Array<TarEntry & { from?: string }> = [
    {
      path: '/usr/bin/node',
      content: await readFile(process.execPath),
      mode: 0o755,
      from: process.execPath,
    },
    { path: '/usr/sbin/ip', content: await readFile(ip), mode: 0o755, from: ip },
    { path: '/etc/nsswitch.conf', content: Buffer.from('hosts: files dns\n'), mode: 0o644 },
  ];
  for (const lib of [...libs].sort())
    entries.push({ path: lib, content: await readFile(lib), mode: 0o755, from: lib });
  return entries;
}
