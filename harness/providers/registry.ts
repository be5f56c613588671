// Every provider sixgate knows, one line each. A provider is a folder under providers/ that
// exports a `Provider` (contract.ts); `auto` tries the ones that drive a runtime, in this order.
import { dockerProvider } from './docker/provider.ts';
import { localProvider } from './local/index.ts';
import { podmanProvider } from './podman/index.ts';

export const PROVIDERS = {
  docker: dockerProvider,
  podman: podmanProvider,
  local: localProvider,
} as const;

export type ProviderId = keyof typeof PROVIDERS;

/** `--provider` values: a provider, or `auto` (the runtime discovery finds, else local). */
export type ProviderChoice = ProviderId | 'auto';

export const isProviderId = (v: string): v is ProviderId => Object.hasOwn(PROVIDERS, v);

/** `--provider` values, `auto` first: every provider, or only those whose runs can be kept. */
export function providerChoices(o: { keep?: boolean } = {}): ProviderChoice[] {
  const ids = (Object.keys(PROVIDERS) as ProviderId[]).filter(
    (id) => !o.keep || PROVIDERS[id].capabilities.keep,
  );
  return ['auto', ...ids];
}
