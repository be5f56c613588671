// The registry is the one list of providers: each entry is the provider it names and declares
// every capability; runtimes are told apart by their own /version replies (recorded from Docker
// 20.10 and Podman 4.3 on these machines); network modes are descriptors the CLI keys by name.
import { describe, expect, it } from 'vitest';
import {
  NETWORK_MODES,
  PROVIDERS,
  isProviderId,
  pickProvider,
  type ProviderId,
} from '../../harness/index.ts';

const DOCKER_20_10 = {
  Version: '20.10.24+dfsg1',
  ApiVersion: '1.41',
  Components: [
    { Name: 'Engine', Version: '20.10.24+dfsg1' },
    { Name: 'containerd', Version: '1.6.20~ds1' },
    { Name: 'runc', Version: '1.1.5+ds1' },
  ],
};
const PODMAN_4_3 = {
  Version: '4.3.1',
  ApiVersion: '1.41',
  Components: [
    { Name: 'Podman Engine', Version: '4.3.1' },
    { Name: 'Conmon', Version: 'conmon version 2.1.6, commit: unknown' },
  ],
};

const ids = Object.keys(PROVIDERS) as ProviderId[];

describe('the provider registry', () => {
  it('keys each provider by its own id, and lists docker and local', () => {
    for (const id of ids) expect(PROVIDERS[id].id).toBe(id);
    expect(ids).toEqual(expect.arrayContaining(['docker', 'local']));
    expect(isProviderId('docker')).toBe(true);
    expect(isProviderId('auto')).toBe(false);
    expect(isProviderId('toString')).toBe(false);
  });

  it('has every provider declare every capability', () => {
    const keys = ['engine', 'imageBuild', 'ipv6Only', 'keep', 'linkLocal', 'names', 'namespaces'];
    for (const id of ids) expect(Object.keys(PROVIDERS[id].capabilities).sort(), id).toEqual(keys);
    expect(PROVIDERS.docker.capabilities).toMatchObject({
      ipv6Only: ['native', 'flush-ipv4'],
      engine: true,
      namespaces: true,
    });
    expect(PROVIDERS.local.capabilities).toMatchObject({
      ipv6Only: [],
      engine: false,
      namespaces: false,
      keep: false,
    });
  });

  it('tells Docker from Podman by the /version reply', () => {
    const claims = (v: typeof DOCKER_20_10) =>
      ids.filter((id) => PROVIDERS[id].runtime?.answers(v));
    expect(claims(DOCKER_20_10)).toEqual(['docker']);
    // Podman answers the Docker API too; only its own provider (when registered) claims it.
    expect(claims(PODMAN_4_3)).not.toContain('docker');
  });

  it('takes an explicit provider without a runtime as asked, with no discovery', async () => {
    expect(await pickProvider('local')).toEqual({ provider: 'local', why: '--provider local' });
  });
});

describe('network modes', () => {
  it('are descriptors keyed by the names the CLI and the reports use', () => {
    expect(Object.keys(NETWORK_MODES)).toEqual(['dual-stack', 'ipv6-only']);
    for (const [key, mode] of Object.entries(NETWORK_MODES)) expect(mode.id).toBe(key);
    expect(NETWORK_MODES['dual-stack'].ipv4).toBe(true);
    expect(NETWORK_MODES['ipv6-only'].ipv4).toBe(false);
  });
});
