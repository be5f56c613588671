// The profile JSON Schema shipped in the package (schemas/profile.schema.json) says what
// loadProfile says: checked with a real validator (ajv) on the README's example and good profiles,
// and on bad ones both must refuse. (ajv's strictRequired is off: the one-of rule names fields
// inside `not`, which is the point.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadProfile, programs } from '../../harness/index.ts';

const read = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
const schema = JSON.parse(read('schemas/profile.schema.json')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

const dir = mkdtempSync(join(tmpdir(), 'sixgate-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function loads(profile: unknown): boolean {
  const file = join(dir, `p${n++}.json`);
  writeFileSync(file, JSON.stringify(profile));
  try {
    loadProfile(file);
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

/** The JSON example under the README's "Certifying your own agent or engine". */
function readmeExample(): unknown {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Certifying your own agent or engine'));
  return JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!);
}

const good: Array<[string, unknown]> = [
  ['the README example', readmeExample()],
  ['a name alone', { name: 'acme' }],
  [
    'with $schema',
    { $schema: './node_modules/sixgate/schemas/profile.schema.json', name: 'acme-2.1' },
  ],
  [
    'shipped programs',
    { name: 'broken', agent: { program: 'agent-v6only' }, engine: { program: 'engine-slow' } },
  ],
  [
    'images with registry, tag and digest',
    {
      name: 'acme_x',
      agent: { image: 'registry.acme.io:5000/acme/agent:2.1', mutualTls: false },
      engine: {
        image: `acme/engine@sha256:${'a'.repeat(64)}`,
        port: 443,
        apiBase: '/ovirt-engine/api',
      },
    },
  ],
  [
    'a build with every path',
    {
      name: 'acme',
      agent: {
        build: './agent dir',
        paths: { conf: '/etc/acme.conf', key: '/k.pem', cert: '/c.pem', ca: '/ca.pem' },
      },
    },
  ],
];

const bad: Array<[string, unknown]> = [
  ['no name', {}],
  ['an upper-case name', { name: 'Acme' }],
  ['a name of 64 characters', { name: 'a'.repeat(64) }],
  ['an unknown top-level field', { name: 'acme', agnet: {} }],
  ['a non-string $schema', { $schema: 1, name: 'acme' }],
  ['a misspelt agent field', { name: 'acme', agent: { imgae: 'acme/agent' } }],
  ['image and program', { name: 'acme', agent: { image: 'acme/agent', program: 'agent' } }],
  ['an unknown program', { name: 'acme', agent: { program: 'agent-nope' } }],
  ['an engine program as the agent', { name: 'acme', agent: { program: 'engine' } }],
  ['an upper-case image', { name: 'acme', agent: { image: 'Acme/agent' } }],
  ['an image with a space', { name: 'acme', engine: { image: 'acme agent' } }],
  ['a short digest', { name: 'acme', engine: { image: 'acme/engine@sha256:abc' } }],
  ['a relative path', { name: 'acme', agent: { paths: { conf: 'etc/acme.conf' } } }],
  ['mutualTls as text', { name: 'acme', agent: { mutualTls: 'yes' } }],
  ['port 0', { name: 'acme', engine: { port: 0 } }],
  ['port 65536', { name: 'acme', engine: { port: 65536 } }],
  ['a fractional port', { name: 'acme', engine: { port: 8443.5 } }],
  ['an API base without a slash', { name: 'acme', engine: { apiBase: 'api' } }],
  ['an array', []],
];

describe('the profile JSON Schema agrees with loadProfile', () => {
  it.each(good)('%s: both accept', (_, profile) => {
    expect({ schema: validate(profile), errors: validate.errors, load: loads(profile) }).toEqual({
      schema: true,
      errors: null,
      load: true,
    });
  });

  it.each(bad)('%s: both refuse', (_, profile) => {
    expect({ schema: validate(profile), load: loads(profile) }).toEqual({
      schema: false,
      load: false,
    });
  });

  it("names every program sixgate ships, each under its part's prefix", () => {
    const props = schema.properties as Record<
      string,
      { properties: { program: { enum: string[] } } }
    >;
    const names = Object.keys(programs);
    expect({
      agent: props.agent!.properties.program.enum,
      engine: props.engine!.properties.program.enum,
    }).toEqual({
      agent: names.filter((p) => p.startsWith('agent')),
      engine: names.filter((p) => p.startsWith('engine')),
    });
  });
});
