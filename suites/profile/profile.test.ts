import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, dockerClient, ensureImage, loadProfile } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { sixgate } from '../support/cli.ts';
import { createdBy } from './created-by.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function profileFile(content: unknown): string {
  const file = join(dir, `p${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('profile validation names the file, the path and the rule', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not JSON', '{name:', '(file) cannot be read as JSON'],
    ['an array', [], 'profile must be an object'],
    ['no name', {}, 'name is required'],
    [
      'a name with spaces',
      { name: 'ACME Corp' },
      'name must be 1–63 characters, a Docker repository name component',
    ],
    [
      'a misspelt field',
      { name: 'acme', agent: { imgae: 'acme/agent' } },
      'agent.imgae is not a known field (known: image, program, build, mutualTls, paths)',
    ],
    [
      'image and program',
      { name: 'acme', agent: { image: 'acme/agent', program: 'agent' } },
      'agent takes one of image, program, build; got image and program',
    ],
    [
      'a relative config path',
      { name: 'acme', agent: { paths: { conf: 'etc/acme.conf' } } },
      'agent.paths.conf must be an absolute path without spaces',
    ],
    [
      'an unknown PKI path',
      { name: 'acme', agent: { paths: { cakey: '/x' } } },
      'agent.paths.cakey is not a known field (known: conf, key, cert, ca)',
    ],
    [
      'an API base without a slash',
      { name: 'acme', engine: { apiBase: 'ovirt-engine/api' } },
      'engine.apiBase must be a path starting with /',
    ],
    [
      'a non-boolean mutualTls',
      { name: 'acme', agent: { mutualTls: 'yes' } },
      'agent.mutualTls must be true or false',
    ],
    [
      'an unknown program',
      { name: 'acme', agent: { program: 'agent-nope' } },
      'agent.program must be one of agent,',
    ],
    [
      'an image with a space',
      { name: 'acme', agent: { image: 'acme agent' } },
      'agent.image must be a Docker image reference: name components of a-z and 0-9 joined by ".", "_", "__" or dashes, separated by "/", an optional registry host[:port]/ first, then an optional :tag (A-Z, a-z, 0-9, "_", ".", "-"; up to 128, not starting with "." or "-") and an optional @sha256:<64 hex digits>; \'acme agent\' has a malformed name component \'acme agent\'',
    ],
    [
      'port 0',
      { name: 'acme', engine: { port: 0 } },
      'engine.port must be a whole number from 1 to 65535',
    ],
    [
      'port 65536',
      { name: 'acme', engine: { port: 65536 } },
      'engine.port must be a whole number from 1 to 65535',
    ],
    [
      'a fractional port',
      { name: 'acme', engine: { port: 84.5 } },
      'engine.port must be a whole number from 1 to 65535',
    ],
    [
      'an unknown top-level field',
      { name: 'acme', agnet: {} },
      'profile.agnet is not a known field',
    ],
  ];
  it.each(cases)('%s', (_what, content, rule) => {
    const file = profileFile(content);
    let err: unknown;
    try {
      loadProfile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('SIXGATE_BAD_CONFIG');
    expect((err as Error).message).toContain(`${file}: ${rule}`);
    expect((err as ConfigError).hint).toBe('see README: Certifying your own agent or engine');
  });

  it('accepts a full profile', () => {
    const file = profileFile({
      name: 'acme-2.1',
      agent: { image: 'acme/agent:2.1', mutualTls: false, paths: { conf: '/etc/acme/agent.conf' } },
      engine: { program: 'engine', port: 9443, apiBase: '/ovirt-engine/api' },
    });
    expect(loadProfile(file)).toEqual({
      name: 'acme-2.1',
      agent: { image: 'acme/agent:2.1', mutualTls: false, paths: { conf: '/etc/acme/agent.conf' } },
      engine: { program: 'engine', port: 9443, apiBase: '/ovirt-engine/api' },
    });
  });

  it('sixgate run --profile with a bad profile exits 2 and starts nothing', async () => {
    const file = profileFile({ name: 'acme', agent: { port: 1 } });
    const r = await sixgate(['run', '--profile', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: agent.port is not a known field`);
    if (!dockerReason) expect(await createdBy(r.pid)).toEqual([]);
  });

  it('--target and --profile together is a usage error', async () => {
    const r = await sixgate([
      'run',
      '--target',
      'reference',
      '--profile',
      profileFile({ name: 'acme' }),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target and --profile/);
  });
});

describe.skipIf(dockerReason)(dockerTitle("a vendor's agent image through a profile"), () => {
  const docker = dockerClient();
  const images: string[] = [];

  /**
   * A stand-in for a vendor image: the sixgate image with one program as its command. An engine
   * image takes its flags after the entrypoint, so there the program is the entrypoint.
   */
  async function vendorImage(program: string): Promise<string> {
    const { tag } = await ensureImage(docker);
    const run = ['/usr/bin/node', `/sixgate/${program}.mjs`];
    const c = await docker.createContainer({
      Image: tag,
      ...(program === 'engine' ? { Entrypoint: run, Cmd: [] } : { Cmd: run.slice(1) }),
      // Not sixgate's own image: the pruning of old sixgate images must leave it alone.
      Labels: { 'sixgate.image': 'vendor-stand-in' },
    });
    const repo = `sixgate-vendor-test-${process.pid}`;
    try {
      await c.commit({ repo, tag: program });
    } finally {
      await c.remove();
    }
    images.push(`${repo}:${program}`);
    return `${repo}:${program}`;
  }

  beforeAll(async () => {
    await vendorImage('agent');
    await vendorImage('agent-v6only');
    await vendorImage('engine');
  });
  afterAll(async () => {
    for (const i of images)
      await docker
        .getImage(i)
        .remove({ force: true })
        .catch(() => undefined);
  });

  const cells = ['--cell', 'local.loopback.bracketed-port', '--cell', 'peer.ipv4.dotted'];
  /** A run here builds or starts a vendor image beside the control arm: minutes on a busy runner. */
  const RUN_TEST_TIMEOUT_MS = 200_000;

  it(
    'a conforming image passes',
    async () => {
      const file = profileFile({
        name: 'vendor-good',
        agent: { image: images[0] },
        engine: { image: images[2], port: 9443 },
      });
      const r = await sixgate([
        'run',
        '--profile',
        file,
        '--mode',
        'dual-stack',
        '--junit',
        join(dir, 'good.xml'),
        '--html',
        join(dir, 'good.html'),
        ...cells,
      ]);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/matrix: 2 passed, 0 failed/);
    },
    RUN_TEST_TIMEOUT_MS,
  );

  it(
    'a broken image fails the cells its fault breaks, and the repro names the profile',
    async () => {
      const file = profileFile({ name: 'vendor-v6only', agent: { image: images[1] } });
      const r = await sixgate([
        'run',
        '--profile',
        file,
        '--mode',
        'dual-stack',
        '--junit',
        join(dir, 'bad.xml'),
        '--html',
        join(dir, 'bad.html'),
        ...cells,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/pass +dual-stack local\.loopback\.bracketed-port/);
      expect(r.stdout).toMatch(/FAIL +dual-stack peer\.ipv4\.dotted/);
      // The command prefix is however this sixgate was started (`npx sixgate`, `node bin/…`).
      const rerun = `run --cell peer.ipv4.dotted --mode dual-stack --profile ${file} --keep`;
      expect(r.stdout).toMatch(
        new RegExp(
          `^ +repro: +\\S.*sixgate\\S* ${rerun.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
          'm',
        ),
      );
    },
    RUN_TEST_TIMEOUT_MS,
  );

  it(
    'builds a build context offline and injects config and PKI where the profile says',
    async () => {
      const { tag } = await ensureImage(docker);
      const context = join(dir, 'acme-agent');
      mkdirSync(context);
      // A vendor layout: everything under /opt/acme, not at vdsm's paths.
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${tag}\nLABEL sixgate.image="vendor-stand-in"\nCMD ["/sixgate/agent.mjs", "--root", "/opt/acme"]\n`,
      );
      const root = '/opt/acme/etc';
      const file = profileFile({
        name: 'vendor-built',
        agent: {
          build: './acme-agent',
          paths: {
            conf: `${root}/vdsm/vdsm.conf`,
            key: `${root}/pki/vdsm/keys/vdsmkey.pem`,
            cert: `${root}/pki/vdsm/certs/vdsmcert.pem`,
            ca: `${root}/pki/vdsm/certs/cacert.pem`,
          },
        },
      });
      try {
        const r = await sixgate([
          'run',
          '--profile',
          file,
          '--mode',
          'dual-stack',
          '--junit',
          join(dir, 'built.xml'),
          '--html',
          join(dir, 'built.html'),
          ...cells,
        ]);
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/matrix: 2 passed, 0 failed/);
      } finally {
        const built = await docker.listImages({ filters: { label: ['sixgate.profile-build=1'] } });
        for (const i of built.filter((x) =>
          (x.RepoTags ?? []).some((t) => t.startsWith('sixgate-profile/vendor-built-agent:')),
        )) {
          await docker
            .getImage(i.Id)
            .remove({ force: true })
            .catch(() => undefined);
        }
      }
    },
    RUN_TEST_TIMEOUT_MS,
  );
});
