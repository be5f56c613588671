// The fault agents as host processes: every getVdsCapabilities call fails as too large at the
// client's cap, whether the reply declares its 50 MB or streams them, and the agent keeps
// answering its other verbs meanwhile, so the fault stays on the cells that asked for it.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type CallOutcome } from '../../harness/index.ts';
import { makePki, startAgent, type Pki, AGENT_NAME } from '../agent/fixture.ts';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
afterAll(() => pki?.cleanup());

const CASES: Array<[string, RegExp]> = [
  ['huge-reply', /^the reply declares \d+ bytes, over the 4 MiB reply cap \(MAX_REPLY_BYTES\)/],
  ['junk-value', /^the reply grew past the 4 MiB reply cap \(MAX_REPLY_BYTES\)/],
];

describe.each(CASES)('broken agent %s', (name, says) => {
  it('fails every capabilities call as too large, and still answers ping', async () => {
    await using agent = await startAgent(pki, {
      program: fileURLToPath(new URL(`../../fixtures/broken-agents/${name}.ts`, import.meta.url)),
    });
    const rpc = (method: string): Promise<CallOutcome> =>
      call({
        target: `[::1]:${agent.port}`,
        method,
        tls: { ...pki.client, identity: AGENT_NAME },
        timeoutMs: 30_000,
      });
    const [ping, ...caps] = await Promise.all([
      rpc('ping'),
      ...Array.from({ length: 8 }, () => rpc('getVdsCapabilities')),
    ]);
    expect(ping).toMatchObject({ ok: true, value: { status: { code: 0 } } });
    for (const out of caps) {
      expect(out).toMatchObject({ ok: false, phase: 'rpc', failure: 'too-large' });
      expect(!out.ok && out.message).toMatch(says);
    }
  });
});
