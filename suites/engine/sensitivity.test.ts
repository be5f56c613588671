// Sensitivity: the engine suite must fail each deliberately broken engine on exactly the cases its
// fault touches (engine-faults.ts), and the reference engine on none. Each engine runs the
// engine-field corpus and the add-host checks against a local reference agent, as host processes.
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
import { ENGINE_FAULTS } from './engine-faults.ts';
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
/** The corpus ids a broken engine (named as a target) must get wrong. */
const flipped = (target: string) => cases.filter(ENGINE_FAULTS[target]!.flips).map((c) => c.id);

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
  // Reason codes are sixgate's words: only the reference engine is held to them (as in a run).
  const reasonCodes = entry === undefined;
  const failed = cases
    .filter((c, i) => disagreement(c, verdicts[i]!, { reasonCodes }) !== undefined)
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

describe('engine sensitivity', () => {
  it('the reference engine fails nothing', async () => {
    expect(await failures(undefined)).toEqual([]);
  });

  it('accepts-nine-groups fails exactly the over-long compressed forms', async () => {
    const want = flipped('broken-engine-accepts-nine-groups');
    expect(want).toContain('ipv6: "1:2:3:4:5:6:7:8:9::"');
    expect((await failures(brokenEngine('accepts-nine-groups'))).sort()).toEqual(want.sort());
  });

  it('rejects-prefix-109-119 fails exactly the prefixes its pattern gets wrong', async () => {
    const want = flipped('broken-engine-rejects-prefix-109-119');
    expect(want).toEqual(
      expect.arrayContaining(['prefix: "109"', 'prefix: "119"', 'prefix: "00"']),
    );
    expect((await failures(brokenEngine('rejects-prefix-109-119'))).sort()).toEqual(want.sort());
  });

  it('rejects-zones fails every valid host address with a zone, and adding a host by link-local', async () => {
    const want = flipped('broken-engine-rejects-zones');
    expect(want.length).toBeGreaterThan(0);
    expect((await failures(brokenEngine('rejects-zones'))).sort()).toEqual(
      [...want, ...(ll ? ['add-host link-local%zone'] : [])].sort(),
    );
  });

  it('unbracketed-url passes the corpus but cannot reach an agent by IPv6', async () => {
    const failed = await failures(brokenEngine('unbracketed-url'));
    expect(failed.sort()).toEqual(
      ['add-host ::1', ...(ll ? ['add-host link-local%zone'] : [])].sort(),
    );
  });
});
