// Vendor images that run as a non-root USER: the config and keys sixgate writes before start are
// theirs to read. Images are built here, offline, from the sixgate image (which has no passwd).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_FILE_LIMIT,
  containerOwner,
  dockerClient,
  ensureImage,
  ImageUserError,
  putFiles,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { sixgate, type CliResult } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-non-root-'));
const docker = dockerClient();
const repo = `sixgate-non-root-test-${process.pid}`;
const testLabel = { 'sixgate.test': repo };

const PASSWD = 'root:x:0:0::/root:/sbin/nologin\nacme:x:5001:5002::/opt/acme:/sbin/nologin\n';
const GROUP = 'root:x:0:\nvendors:x:5002:acme\nextra:x:5003:\n';

/** A build context: a Dockerfile and files, `name -> target` entries as symbolic links. */
function context(name: string, dockerfile: string, files: Record<string, string> = {}): string {
  const at = join(dir, name);
  mkdirSync(at);
  writeFileSync(join(at, 'Dockerfile'), dockerfile);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(at, path, '..'), { recursive: true });
    if (content.startsWith('->')) symlinkSync(content.slice(2), join(at, path));
    else writeFileSync(join(at, path), content);
  }
  return at;
}

async function build(name: string, dockerfile: string, files: Record<string, string>) {
  const at = context(name, dockerfile, files);
  const tag = `${repo}:${name}`;
  const stream = await docker.buildImage(
    { context: at, src: ['Dockerfile', ...Object.keys(files)] },
    { t: tag, forcerm: true },
  );
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) =>
      err ? reject(err) : resolve(res as never),
    ),
  );
  expect(events.find((e) => e.error)?.error, `docker build of ${tag}`).toBeUndefined();
  return tag;
}

/** A container log's text: Docker frames it, an 8-byte header before each chunk. */
function frames(buf: Buffer): string {
  let text = '';
  for (let i = 0; i + 8 <= buf.length; i += 8 + buf.readUInt32BE(i + 4)) {
    text += buf.subarray(i + 8, i + 8 + buf.readUInt32BE(i + 4)).toString('utf8');
  }
  return text;
}

let base = '';
let accounts = '';
let huge = '';

afterAll(async () => {
  const mine = await docker.listImages({ filters: { label: ['sixgate.image=vendor-stand-in'] } });
  for (const i of mine) {
    const tags = i.RepoTags ?? [];
    if (tags.some((t) => t.startsWith(`${repo}:`) || t.startsWith(`sixgate-profile/${repo}`))) {
      await docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(dockerReason)(dockerTitle('the user a vendor image runs as'), () => {
  beforeAll(async () => {
    base = (await ensureImage(docker)).tag;
    // passwd through a symbolic link, as some distributions ship it.
    accounts = await build(
      'accounts',
      `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nCOPY rootfs/ /\n`,
      {
        'rootfs/etc/passwd': '->../opt/acme/passwd',
        'rootfs/opt/acme/passwd': PASSWD,
        'rootfs/etc/group': GROUP,
      },
    );
    huge = await build(
      'huge',
      `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nCOPY passwd /etc/passwd\n`,
      {
        passwd: `${PASSWD}${'#'.repeat(80)}\n`.repeat(Math.ceil(ACCOUNT_FILE_LIMIT / 80)),
      },
    );
  }, 120_000);

  async function ownerOf(image: string, user: string) {
    const c = await docker.createContainer({ Image: image, User: user, Labels: testLabel });
    try {
      return await containerOwner(c, image);
    } finally {
      await c.remove({ force: true });
    }
  }

  const resolved: Array<[string, string, { uid: number; gid: number }]> = [
    ['a uid not in passwd (gid 0, as Docker)', '4242', { uid: 4242, gid: 0 }],
    ['uid:gid', '4242:4343', { uid: 4242, gid: 4343 }],
    ['a name (its primary group)', 'acme', { uid: 5001, gid: 5002 }],
    ['a uid in passwd (its primary group)', '5001', { uid: 5001, gid: 5002 }],
    ['name:group', 'acme:extra', { uid: 5001, gid: 5003 }],
    ['name:gid', 'acme:4444', { uid: 5001, gid: 4444 }],
    ['uid:group', '4242:extra', { uid: 4242, gid: 5003 }],
    ['root by name', 'root', { uid: 0, gid: 0 }],
  ];
  it.each(resolved)('resolves %s', async (_what, user, owner) => {
    expect(await ownerOf(accounts, user)).toEqual(owner);
  });

  it('resolves a numeric uid in an image without /etc/passwd, and no user at all as root', async () => {
    expect(await ownerOf(base, '4242')).toEqual({ uid: 4242, gid: 0 });
    expect(await ownerOf(base, '')).toEqual({ uid: 0, gid: 0 });
  });

  const refused: Array<[string, () => string, string, string]> = [
    [
      'an unknown user',
      () => accounts,
      'ghost',
      `runs as USER "ghost", but its /etc/passwd has no user "ghost"`,
    ],
    [
      'an unknown group',
      () => accounts,
      'acme:ghosts',
      `runs as USER "acme:ghosts", but its /etc/group has no group "ghosts"`,
    ],
    [
      'a name without /etc/passwd',
      () => base,
      'acme',
      `runs as USER "acme", but has no /etc/passwd to find user "acme" in`,
    ],
    [
      'a group without /etc/group',
      () => base,
      '4242:vendors',
      `runs as USER "4242:vendors", but has no /etc/group to find group "vendors" in`,
    ],
    [
      'a uid out of range',
      () => accounts,
      '2147483648',
      `USER "2147483648": ids must be 0 to 2147483647`,
    ],
    [
      'an oversized passwd',
      () => huge,
      'acme',
      `/etc/passwd is larger than the ${ACCOUNT_FILE_LIMIT} bytes sixgate reads to resolve USER`,
    ],
  ];
  it.each(refused)(
    'refuses %s, naming the image and the user',
    async (_what, image, user, message) => {
      const err = await ownerOf(image(), user).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ImageUserError);
      expect((err as ImageUserError).code).toBe('SIXGATE_IMAGE_USER');
      expect((err as Error).message).toBe(`image ${image()}: ${message}`);
    },
  );

  // A directory name past ustar's 100 bytes: the archive carries it in a PAX header.
  const deep = `/opt/acme/${'d'.repeat(120)}`;
  const owners: Array<[string, string, [number, number]]> = [
    ['a named user', 'acme', [5001, 5002]],
    ["a user with ids past tar's octal fields", '3000000:3000001', [3000000, 3000001]],
  ];
  it.each(owners)(
    'writes files that %s can read: keys 0600 and theirs, new directories 0755 and theirs, existing ones untouched',
    async (_what, user, [uid, gid]) => {
      const paths = [
        ...['/etc', '/etc/vdsm', '/etc/pki', '/etc/pki/vdsm', '/etc/pki/vdsm/keys', '/opt/acme'],
        ...['/etc/vdsm/vdsm.conf', '/etc/pki/vdsm/keys/vdsmkey.pem', deep, `${deep}/ca.pem`],
      ];
      // Runs as the image's user and reports what that user sees.
      const script = `const fs = require('fs');
        const out = { uid: process.getuid(), gid: process.getgid(), key: fs.readFileSync('/etc/pki/vdsm/keys/vdsmkey.pem', 'utf8') };
        for (const p of ${JSON.stringify(paths)}) { const s = fs.statSync(p); out[p] = [s.uid, s.gid, (s.mode & 0o7777).toString(8)]; }
        console.log(JSON.stringify(out));`;
      const c = await docker.createContainer({
        Image: accounts,
        User: user,
        Cmd: ['-e', script],
        Labels: testLabel,
      });
      try {
        await putFiles(c, accounts, [
          { path: '/etc/vdsm/vdsm.conf', content: '[addresses]\n' },
          { path: '/etc/pki/vdsm/keys/vdsmkey.pem', content: 'KEY', mode: 0o600 },
          { path: `${deep}/ca.pem`, content: 'CA' },
        ]);
        await c.start();
        const { StatusCode } = (await c.wait()) as { StatusCode: number };
        const logs = frames(
          (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer,
        );
        expect(StatusCode, logs).toBe(0);
        const theirs = (mode: string) => [uid, gid, mode];
        expect(JSON.parse(logs)).toEqual({
          uid,
          gid,
          key: 'KEY',
          '/etc': [0, 0, '755'],
          '/opt/acme': [0, 0, '755'],
          '/etc/vdsm': theirs('755'),
          '/etc/pki': theirs('755'),
          '/etc/pki/vdsm': theirs('755'),
          '/etc/pki/vdsm/keys': theirs('755'),
          [deep]: theirs('755'),
          '/etc/vdsm/vdsm.conf': theirs('644'),
          '/etc/pki/vdsm/keys/vdsmkey.pem': theirs('600'),
          [`${deep}/ca.pem`]: theirs('644'),
        });
      } finally {
        await c.remove({ force: true });
      }
    },
  );
});

/**
 * `sixgate run` as CI calls it, given longer than the suites' usual limit: it builds two images
 * before its topology, which takes minutes on a runner loaded by other Docker runs.
 */
const sixgateRun = (args: string[]) => sixgate(args, process.env, { timeoutMs: RUN_TIMEOUT_MS });
const RUN_TIMEOUT_MS = 400_000;

describe.skipIf(dockerReason)(dockerTitle('sixgate run --profile with non-root images'), () => {
  const cells = [
    ...['--cell', 'local.loopback.bracketed-port'],
    ...['--cell', 'peer.ipv4.dotted'],
    ...['--cell', 'engine.add-host.ula'],
  ];
  let n = 0;
  async function runProfile(profile: object) {
    const file = join(dir, `p${n++}.json`);
    writeFileSync(file, JSON.stringify(profile));
    return sixgateRun([
      ...['run', '--profile', file, '--provider', 'docker', '--mode', 'dual-stack'],
      ...['--junit', join(dir, `p${n}.xml`), '--html', join(dir, `p${n}.html`)],
      ...cells,
    ]);
  }

  beforeAll(async () => {
    base = (await ensureImage(docker)).tag;
  }, 120_000);

  function expectAllPassed(r: CliResult) {
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    for (const id of ['local.loopback.bracketed-port', 'peer.ipv4.dotted', 'engine.add-host.ula'])
      expect(r.stdout).toMatch(new RegExp(`^pass +dual-stack ${id.replace(/\./g, '\\.')} `, 'm'));
    expect(r.stdout).toContain('matrix: 3 passed, 0 failed, 0 skipped');
  }

  it(
    'an agent and an engine that run as numeric users pass',
    async () => {
      context(
        'numeric-agent',
        `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nUSER 4242\nCMD ["/sixgate/agent.mjs"]\n`,
      );
      context(
        'numeric-engine',
        `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nUSER 4343:4343\nENTRYPOINT ["/usr/bin/node", "/sixgate/engine.mjs"]\n`,
      );
      const r = await runProfile({
        name: `${repo}-numeric`,
        agent: { build: './numeric-agent' },
        engine: { build: './numeric-engine' },
      });
      expectAllPassed(r);
    },
    RUN_TIMEOUT_MS + 20_000,
  );

  it(
    'an agent that runs as a named user from its own /etc/passwd passes',
    async () => {
      context(
        'named-agent',
        `FROM ${base}\nLABEL sixgate.image="vendor-stand-in"\nCOPY passwd group /etc/\nUSER acme:vendors\nCMD ["/sixgate/agent.mjs"]\n`,
        { passwd: PASSWD, group: GROUP },
      );
      const r = await runProfile({ name: `${repo}-named`, agent: { build: './named-agent' } });
      expectAllPassed(r);
    },
    RUN_TIMEOUT_MS + 20_000,
  );
});
