// What differs between the Docker-compatible engines this provider's building blocks drive:
// Docker itself, and Podman through its compat API (harness/providers/podman). Everything else —
// labels, sweeps, probes, the image build — is the same calls on either.
import type Docker from 'dockerode';
import type { ProviderId } from '../contract.ts';
import type { DockerFacts } from './client.ts';

export interface EngineFlavour {
  provider: ProviderId;
  /** The command a person types to reach a container by hand (`docker exec …`). */
  cli: string;
  /** Whether it makes a network without IPv4 when asked, given its /version. */
  nativeIpv6Only(facts: DockerFacts): boolean;
  /** The run network's create request, given the one Docker takes. */
  networkRequest(
    request: Docker.NetworkCreateOptions,
    ipv6Only: boolean,
  ): Docker.NetworkCreateOptions;
  /** Added to every container's HostConfig. */
  hostConfig?: Docker.HostConfig;
}

export const DOCKER_FLAVOUR: EngineFlavour = {
  provider: 'docker',
  cli: 'docker',
  // Docker 28 (API 1.48) takes `EnableIPv4: false`; older ones add IPv4 whatever is asked.
  nativeIpv6Only: (facts) => facts.nativeIpv6Only,
  networkRequest: (request, ipv6Only) => (ipv6Only ? { ...request, EnableIPv4: false } : request),
};
