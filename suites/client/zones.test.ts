// Host specs sixgate's own client must reject before any packet leaves: a link-local address
// without a zone, or with a zone naming no interface. They test the client, not a target (no
// target can pass or fail them), so they are not matrix cells and `sixgate run` does not report
// them. The same address with the right zone is the control: the agent was there to reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  type CallOutcome,
  type FailureClass,
  type FailurePhase,
  type Io,
  type LocalAgent,
  main,
  zoneInterface,
} from '../../harness/index.ts';
import { AGENT_NAME, makePki, ownLinkLocal, startAgent, type Pki } from '../agent/fixture.ts';

const own = ownLinkLocal();
/** The host's own link-local address where it has one: then only the zone differs from the control. */
const ll = own?.address ?? 'fe80::1';
/** An interface index this host does not have. */
const unusedIndex = [999, 9999, 99999].find((n) => zoneInterface(String(n)) === undefined)!;

interface ClientCase {
  id: string;
  title: string;
  source: string;
  spec(port: number): string;
  phase: FailurePhase;
  failure: FailureClass;
  /** The rejection must say why, naming what is wrong. */
  mentions: RegExp;
  /** What `sixgate client` prints for it. */
  cli: RegExp;
}

const CASES: ClientCase[] = [
  {
    id: 'zone.missing',
    title: 'a link-local address without a zone is rejected with a reason',
    source: 'RFC 4007 §6 (link-local addresses are ambiguous without a zone)',
    spec: (port) => `[${ll}]:${port}`,
    phase: 'parse',
    failure: 'invalid-spec',
    mentions: /needs a zone.*RFC 4007/,
    cli: /failed to parse the host spec \(parse\/invalid-spec\)/,
  },
  {
    id: 'zone.unknown-name',
    title: 'a zone naming no interface is rejected',
    source: 'RFC 4007 §11 (a zone must identify an interface of the node)',
    spec: (port) => `[${ll}%nosuch0]:${port}`,
    phase: 'resolve',
    failure: 'no-such-interface',
    mentions: /'%nosuch0' names no interface/,
    cli: /failed to resolve \(resolve\/no-such-interface\)/,
  },
  {
    id: 'zone.unknown-index',
    title: 'a numeric zone naming no interface index is rejected',
    source: 'RFC 4007 §11.2 (numeric zone identifiers)',
    spec: (port) => `[${ll}%${unusedIndex}]:${port}`,
    phase: 'resolve',
    failure: 'no-such-interface',
    mentions: new RegExp(`'%${unusedIndex}' names no interface`),
    cli: /failed to resolve \(resolve\/no-such-interface\)/,
  },
];

let pki: Pki;
let agent: LocalAgent;
beforeAll(async () => {
  pki = await makePki();
  agent = await startAgent(pki, { managementIp: '::' });
});
afterAll(async () => {
  await agent?.stop();
  pki?.cleanup();
});

const caps = (target: string): Promise<CallOutcome> =>
  call({
    target,
    method: 'getVdsCapabilities',
    tls: { ...pki.client, identity: AGENT_NAME },
    timeoutMs: 5000,
  });

async function client(...args: string[]) {
  let stderr = '';
  const io: Io = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    stdin: process.stdin,
  };
  const tls = ['--ca', pki.files.ca, '--cert', pki.files.cert, '--key', pki.files.key];
  const code = await main(['client', '-s', ...tls, '--identity', AGENT_NAME, ...args], io);
  return { code, stderr };
}

const requestsSeen = () => (agent.logs().match(/ request getVdsCapabilities from /g) ?? []).length;

describe('the client rejects a link-local spec without a usable zone before connecting', () => {
  describe.each(CASES)('$id: $title ($source)', (c) => {
    it(`stops in ${c.phase} (${c.failure}) without trying an address`, async () => {
      const out = await caps(c.spec(agent.port));
      expect(out).toMatchObject({ ok: false, phase: c.phase, failure: c.failure });
      expect((out as { message: string }).message).toMatch(c.mentions);
      // No address was tried: the client records one just before each connect.
      expect(out.resolved).toEqual([]);
      expect(out.remote).toBeUndefined();
    });
    it('sixgate client says where it stopped and exits 1', async () => {
      const out = await client(c.spec(agent.port), 'getVdsCaps');
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(c.cli);
    });
  });

  it('the agent saw none of them', () => {
    expect(requestsSeen()).toBe(0);
  });

  it.skipIf(!own)(
    `the control: the same address with its zone reaches the agent${own ? '' : ' [skipped: this host has no link-local address]'}`,
    async () => {
      const out = await caps(`[${ll}%${own!.iface}]:${agent.port}`);
      expect(out.ok, (out as { message?: string }).message).toBe(true);
      await expect.poll(requestsSeen).toBe(1);
    },
  );
});
