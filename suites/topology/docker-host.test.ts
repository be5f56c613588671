import { describe, expect, it } from 'vitest';
import { parseDockerHost } from '../../harness/index.ts';

describe('DOCKER_HOST parsing', () => {
  it.each([
    [undefined, { socketPath: '/var/run/docker.sock' }],
    ['unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }],
    ['tcp://[fd00::1]:2375', { protocol: 'http', host: 'fd00::1', port: 2375 }],
    ['tcp://[fe80::1%eth0]:2375', { protocol: 'http', host: 'fe80::1%eth0', port: 2375 }],
    ['tcp://docker.example:2375', { protocol: 'http', host: 'docker.example', port: 2375 }],
    ['https://[::1]', { protocol: 'https', host: '::1', port: 2376 }],
  ])('%s', (value, expected) => {
    expect(parseDockerHost(value)).toEqual(expected);
  });

  it('rejects an unbracketed IPv6 host with a hint', () => {
    expect(() => parseDockerHost('tcp://fd00::1:2375')).toThrow(/DOCKER_HOST/);
  });
});
