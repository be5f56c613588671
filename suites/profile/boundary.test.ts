// Profiles refused at the boundary: a file that is not a bounded regular file, an image reference
// Docker would refuse, a name that cannot tag a build, an image the daemon does not have. Each is
// exit 2 before anything starts: nothing created, earlier reports left as they were.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkProfileImages,
  ConfigError,
  dockerClient,
  ensureImage,
  imageReferenceProblem,
  loadProfile,
  PROFILE_MAX_BYTES,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { sixgate } from '../support/cli.ts';
import { createdBy } from './created-by.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-boundary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HINT = 'see README: Certifying your own agent or engine';
const HEX = 'a'.repeat(64);

let n = 0;
function profileFile(content: unknown): string {
  const file = join(dir, `p${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function refusal(file: string): ConfigError {
  try {
    loadProfile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).hint).toBe(HINT);
    return err as ConfigError;
  }
  return expect.unreachable(`${file} was accepted`);
}

/**
 * Runs `sixgate run --profile FILE` over reports from an earlier run: a refusal is exit 2,
 * the message on stderr, the reports untouched and nothing left on the daemon.
 */
async function expectRefusedRun(file: string, message: string) {
  const junit = join(dir, `earlier-${n}.xml`);
  const html = join(dir, `earlier-${n}.html`);
  writeFileSync(junit, '<earlier run/>');
  writeFileSync(html, '<p>earlier run</p>');
  const r = await sixgate(['run', '--profile', file, '--junit', junit, '--html', html]);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
  expect(r.stderr).toContain(`${file}: ${message}`);
  expect(r.stderr).toContain(`hint: ${HINT}`);
  expect(readFileSync(junit, 'utf8')).toBe('<earlier run/>');
  expect(readFileSync(html, 'utf8')).toBe('<p>earlier run</p>');
  if (!dockerReason) expect(await createdBy(r.pid)).toEqual([]);
}

describe("image references follow Docker's grammar", () => {
  const valid = [
    'acme',
    'acme/agent:2.1',
    'a_b__c-d--e/f.g9',
    'registry.example.com:5000/acme/agent:v2',
    'localhost/acme',
    'localhost:5000/acme',
    'Registry.Example/acme/agent',
    `acme/agent@sha256:${HEX}`,
    `acme/agent:2.1@sha256:${HEX}`,
    `acme:${'T'.repeat(128)}`,
    'acme:_x',
    // An image id as `docker images --digests` prints it.
    `sha256:${HEX}`,
  ];
  it.each(valid)('accepts %s', (ref) => {
    expect(imageReferenceProblem(ref)).toBeUndefined();
  });

  const invalid: Array<[string, string]> = [
    ['Acme', "has upper case in 'Acme' (repository names are lower case)"],
    ['ACME/agent', "has upper case in 'ACME' (repository names are lower case)"],
    ['a.b_c/agent', "has a malformed registry host 'a.b_c'"],
    ['acme/Agent:2.1', "has upper case in 'Agent' (repository names are lower case)"],
    ['acme agent', "has a malformed name component 'acme agent'"],
    ['acme//agent', "has a malformed name component ''"],
    ['-acme', "has a malformed name component '-acme'"],
    ['acme_', "has a malformed name component 'acme_'"],
    ['acme___x', "has a malformed name component 'acme___x'"],
    ['acme/agent:', "has a malformed tag ''"],
    ['acme/agent:.x', "has a malformed tag '.x'"],
    [`acme:${'t'.repeat(129)}`, `has a malformed tag '${'t'.repeat(129)}'`],
    ['acme/agent@sha256:abc', "has a malformed digest 'sha256:abc'"],
    [`acme@md5:${HEX.slice(32)}`, `has a malformed digest 'md5:${HEX.slice(32)}'`],
    [':2.1', 'has no name'],
    ['bad_host.example/acme', "has a malformed registry host 'bad_host.example'"],
    ['-bad.example/acme', "has a malformed registry host '-bad.example'"],
    ['a'.repeat(256), 'has a name longer than 255 characters'],
  ];
  it.each(invalid)('refuses %s', (ref, problem) => {
    expect(imageReferenceProblem(ref)).toBe(problem);
  });

  it('a profile names the field, the rule and what is wrong', () => {
    const file = profileFile({ name: 'acme', engine: { image: 'Acme/Engine:2.1' } });
    expect(refusal(file).message).toBe(
      `${file}: engine.image must be a Docker image reference: name components of a-z and 0-9 joined by ".", "_", "__" or dashes, separated by "/", an optional registry host[:port]/ first, then an optional :tag (A-Z, a-z, 0-9, "_", ".", "-"; up to 128, not starting with "." or "-") and an optional @sha256:<64 hex digits>; 'Acme/Engine:2.1' has upper case in 'Acme' (repository names are lower case)`,
    );
  });
});

describe('a profile name is one Docker repository name component', () => {
  const rule =
    'name must be 1–63 characters, a Docker repository name component (it names the images sixgate builds): a-z and 0-9, joined by one ".", one "_", "__" or dashes, starting and ending with a letter or digit';
  it.each(['acme..2', 'acme_', 'acme-', 'a___b', '_acme', 'Acme', 'x'.repeat(64), ''])(
    'refuses %j',
    (name) => {
      const file = profileFile({ name });
      expect(refusal(file).message).toBe(`${file}: ${rule}`);
    },
  );
  it.each(['a__b', 'a---b', 'acme-2.1', 'acme_2', 'x'.repeat(63)])('accepts %j', (name) => {
    expect(loadProfile(profileFile({ name })).name).toBe(name);
  });
});

describe('a profile is read as a bounded regular file', () => {
  const fifo = join(dir, 'fifo.json');
  const zero = join(dir, 'zero.json');
  const folder = join(dir, 'folder.json');
  const large = join(dir, 'large.json');
  const files: Array<[string, () => string, string]> = [
    ['a FIFO', () => fifo, '(file) must be a regular file; this is a FIFO'],
    [
      'a symlink to /dev/zero',
      () => zero,
      '(file) must be a regular file; this is a character device',
    ],
    ['a directory', () => folder, '(file) must be a regular file; this is a directory'],
    [
      'a file over 1 MiB',
      () => large,
      `(file) must be at most ${PROFILE_MAX_BYTES} bytes (1 MiB); it has ${PROFILE_MAX_BYTES + 1}`,
    ],
    ['a missing file', () => join(dir, 'missing.json'), '(file) cannot be read: ENOENT'],
  ];

  beforeAll(async () => {
    await promisify(execFile)('mkfifo', [fifo]);
    symlinkSync('/dev/zero', zero);
    mkdirSync(folder);
    // Valid JSON but for its size: only the bound refuses it.
    writeFileSync(large, `{"name":"acme"}${' '.repeat(PROFILE_MAX_BYTES + 1 - 15)}`);
  });

  it.each(files)('refuses %s without blocking', (_what, file, message) => {
    expect(refusal(file()).message).toContain(`${file()}: ${message}`);
  });

  it.each(files)(
    'sixgate run refuses %s: exit 2, nothing started',
    async (_what, file, message) => {
      await expectRefusedRun(file(), message);
    },
  );
});

describe('sixgate run refuses a profile Docker would refuse', () => {
  it('an upper-case image reference', async () => {
    const file = profileFile({ name: 'acme', agent: { image: 'ACME/agent' } });
    await expectRefusedRun(file, 'agent.image must be a Docker image reference');
  });

  it('a name that would make an invalid build tag', async () => {
    const file = profileFile({ name: 'acme_', agent: { build: './agent' } });
    await expectRefusedRun(
      file,
      'name must be 1–63 characters, a Docker repository name component',
    );
  });
});

describe.skipIf(dockerReason)(dockerTitle('an image the daemon does not have'), () => {
  const missing = `sixgate-no-such-image-${process.pid}:1`;

  it('checkProfileImages names the field; an image the daemon has passes', async () => {
    const docker = dockerClient();
    const { tag } = await ensureImage(docker);
    const file = profileFile({});
    await expect(
      checkProfileImages(docker, { name: 'acme', agent: { image: tag } }, file),
    ).resolves.toBeUndefined();
    const err = await checkProfileImages(
      docker,
      { name: 'acme', agent: { image: tag }, engine: { image: missing } },
      file,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      `${file}: engine.image must name an image the Docker daemon has (sixgate never pulls); there is no '${missing}': build, pull or load it first`,
    );
    expect((err as ConfigError).hint).toBe(HINT);
  }, 120_000);

  it('sixgate run exits 2 before anything starts', async () => {
    const file = profileFile({ name: 'acme', agent: { image: missing } });
    await expectRefusedRun(
      file,
      `agent.image must name an image the Docker daemon has (sixgate never pulls); there is no '${missing}'`,
    );
  }, 120_000);
});
