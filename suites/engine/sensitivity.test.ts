// Sensitivity: the engine suite must fail each deliberately broken engine on the right cases,
// and only on them; the reference engine fails none. Each engine runs the engine-field corpus
// and the add-host checks against a local reference agent.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  engineValidator,
  startLocalAgent,
  type EngineVerdict,
  type LocalAgent,
  disagreement,
} from '../../harness/index.ts';
import {
  brokenEngine,
  engineCases,
  linkLocal,
  makeTls,
  runEngine,
  type RunTls,
} from './support.ts';

const cases = engineCases();
const ll = linkLocal();
const id = (field: string, input: string) => `${field}: ${JSON.stringify(input)}`;

/** Add-host checks: each must end `up` on a correct engine. */
const ADD_HOST: Array<[string, () => string | undefined]> = [
  ['add-host ::1', () => '::1'],
  ['add-host 127.0.0.1', () => '127.0.0.1'],
  ['add-host localhost', () => 'localhost'],
  ['add-host link-local%zone', () => (ll ? `${ll.address}%${ll.iface}` : undefined)],
];

let tls: RunTls;
let root: string;
let agent: LocalAgent;
beforeAll(async () => {
  tls = await makeTls();
  root = await mkdtemp(join(tmpdir(), 'sixgate-engine-sens-'));
  agent = await startLocalAgent({ root, tls: { ca: tls.ca, ...tls.agent } });
});
afterAll(async () => {
  await agent?.stop();
  await rm(root, { recursive: true, force: true });
});

/** Every check id the engine fails: corpus case ids and add-host check names. */
async function failures(entry: string | undefined): Promise<string[]> {
  await using run = await runEngine(tls, entry);
  const verdicts = (await engineValidator(run.client).validateMany(cases)) as EngineVerdict[];
  const failed = cases
    .filter((c, i) => disagreement(c, verdicts[i]!) !== undefined)
    .map((c) => c.id);
  for (const [name, address] of ADD_HOST) {
    const a = address();
    if (a === undefined) continue;
    const res = await run.client.raw('POST', '/api/hosts', {
      name: 'sens',
      address: a,
      port: agent.port,
    });
    if (res.status !== 201 || (res.body as { status?: string }).status !== 'up') failed.push(name);
  }
  return failed;
}

const validHostsWithZone = cases
  .filter((c) => c.field === 'host' && c.valid && c.input.includes('%'))
  .map((c) => c.id);

describe('engine sensitivity', () => {
  it('the reference engine fails nothing', async () => {
    expect(await failures(undefined)).toEqual([]);
  });

  it('accepts-nine-groups fails the over-long compressed forms, and only those', async () => {
    const failed = await failures(brokenEngine('accepts-nine-groups'));
    expect(failed).toEqual(
      expect.arrayContaining([id('ipv6', '1:2:3:4:5:6:7:8:9::'), id('ip', '1:2:3:4:5:6:7:8:9::')]),
    );
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const f of failed) {
      const c = byId.get(f);
      expect(c, f).toBeDefined();
      expect(c!.valid, f).toBe(false);
      expect(['ipv6', 'ip'], f).toContain(c!.field);
    }
  });

  it('rejects-prefix-109-119 fails prefixes 109, 119 and the 00 it lets through', async () => {
    const failed = await failures(brokenEngine('rejects-prefix-109-119'));
    expect(failed).toEqual(
      expect.arrayContaining([id('prefix', '109'), id('prefix', '119'), id('prefix', '00')]),
    );
    expect(failed.filter((f) => !f.startsWith('prefix: '))).toEqual([]);
  });

  it('rejects-zones fails every valid host address with a zone, and adding a host by link-local', async () => {
    expect(validHostsWithZone.length).toBeGreaterThan(0);
    const failed = await failures(brokenEngine('rejects-zones'));
    expect(failed.sort()).toEqual(
      [...validHostsWithZone, ...(ll ? ['add-host link-local%zone'] : [])].sort(),
    );
  });

  it('unbracketed-url passes the corpus but cannot reach an agent by IPv6', async () => {
    const failed = await failures(brokenEngine('unbracketed-url'));
    expect(failed.sort()).toEqual(
      ['add-host ::1', ...(ll ? ['add-host link-local%zone'] : [])].sort(),
    );
  });
});
