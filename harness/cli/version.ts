// sixgate's own version, from its package.json, read once: what --version prints and every report
// records, so a verdict can be traced to the sixgate that made it.
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function sixgateVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(
        readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
      ) as { version?: unknown };
      version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
