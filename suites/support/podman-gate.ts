// Podman tests run wherever its service answers as Podman. Without it they skip with the reason
// and the command that starts it, except in CI, where `.ci/run` starts it and a missing service
// is a failure, never a silent pass.
import { readFileSync } from 'node:fs';
import { clientFor } from '../../harness/index.ts';

export const ROOTFUL = '/run/podman/podman.sock';
export const ROOTLESS_USER = 'sixgate-podman';
export const ENSURE = 'bash scripts/ensure-podman.sh';

/** The rootless service's socket for the test user, when that user exists. */
export function rootlessSocket(): string | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${ROOTLESS_USER}:`));
  const uid = line?.split(':')[2];
  return uid ? `/run/user/${uid}/podman/podman.sock` : undefined;
}

/** Why a Podman socket cannot be used here; undefined when its service answers as Podman. */
export async function podmanReason(socketPath: string | undefined, how: string) {
  if (!socketPath) return `no user ${ROOTLESS_USER}; run ${how}`;
  try {
    const v = await clientFor({ socketPath }).version();
    if (v.Components?.some((c) => /podman/i.test(c.Name))) return undefined;
    return `${socketPath} answers, but not as Podman`;
  } catch (err) {
    return `no Podman service on ${socketPath} (${(err as Error).message}); run ${how}`;
  }
}

/** Throws in CI when any of these reasons is set: CI installs and starts Podman. */
export function requireInCi(reasons: Array<string | undefined>): void {
  if (process.env.CI && reasons.some(Boolean))
    throw new Error(`CI needs Podman: ${reasons.filter(Boolean).join('; ')}`);
}
