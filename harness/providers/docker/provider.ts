// Docker as a provider: what it declares, where its daemon listens when nothing is configured
// (testcontainers' default and rootless socket strategies), and how its /version names it.
import { RootlessUnixSocketStrategy } from 'testcontainers/build/container-runtime/strategies/rootless-unix-socket-strategy.js';
import { UnixSocketStrategy } from 'testcontainers/build/container-runtime/strategies/unix-socket-strategy.js';
import type { Provider, RuntimeSocket } from '../contract.ts';
import { startDocker } from './index.ts';

/** Which of testcontainers' rootless places a path is: its strategy returns only the path. */
function rootlessKind(path: string, env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR && path.startsWith(env.XDG_RUNTIME_DIR))
    return 'rootless socket in $XDG_RUNTIME_DIR';
  if (/\/\.docker\/(run|desktop)\//.test(path)) return 'Docker Desktop socket';
  return 'rootless socket';
}

export const dockerProvider: Provider = {
  id: 'docker',
  title: 'Docker',
  cli: 'docker',
  capabilities: {
    ipv6Only: ['native', 'flush-ipv4'],
    linkLocal: true,
    names: true,
    namespaces: true,
    engine: true,
    imageBuild: true,
    keep: true,
  },
  runtime: {
    // Podman answers the same API and names itself in Components; Docker's component is `Engine`.
    answers: (v) => !v.Components?.some((c) => /podman/i.test(c.Name)),
    probes: 'attach',
    async sockets(env) {
      const found: RuntimeSocket[] = [];
      const def = await new UnixSocketStrategy().getResult();
      if (def) found.push({ path: def.uri.slice('unix://'.length), strategy: 'default socket' });
      const rootless = await new RootlessUnixSocketStrategy(process.platform, env).getResult();
      if (rootless) {
        const path = rootless.uri.slice('unix://'.length);
        found.push({ path, strategy: rootlessKind(path, env) });
      }
      return found;
    },
  },
  start: (request) => startDocker(request),
};
