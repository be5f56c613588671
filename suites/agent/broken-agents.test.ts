// Sensitivity: each deliberately broken agent fails exactly the cell it was broken for, while the
// cells it was not broken for still pass (so the failure is the bug, not a dead agent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, REFERENCE_AGENT_PROGRAM, type LocalAgent } from '../../harness/index.ts';
import { brokenAgentPrograms } from '../../fixtures/broken-agents/index.ts';
import { makePki, startAgent, type Pki } from './fixture.ts';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
afterAll(() => pki?.cleanup());

const caps = (target: string) =>
  call({ target, method: 'getVdsCapabilities', tls: pki.client, timeoutMs: 5000 });

function withAgent(program: string, body: (agent: () => LocalAgent) => void) {
  let agent: LocalAgent;
  beforeAll(async () => {
    agent = await startAgent(pki, { program, managementIp: '::' });
  });
  afterAll(async () => agent?.stop());
  body(() => agent);
}

describe('ipv4-only (binds AF_INET 0.0.0.0 despite management_ip = ::)', () => {
  withAgent(brokenAgentPrograms['ipv4-only'], (agent) => {
    it('refuses [::1]', async () => {
      expect(await caps(`[::1]:${agent().port}`)).toMatchObject({
        ok: false,
        phase: 'connect',
        failure: 'refused',
      });
    });
    it('still answers 127.0.0.1', async () => {
      expect((await caps(`127.0.0.1:${agent().port}`)).ok).toBe(true);
    });
  });
});

describe('v6only (IPV6_V6ONLY on the :: listener)', () => {
  withAgent(brokenAgentPrograms.v6only, (agent) => {
    it('refuses 127.0.0.1', async () => {
      expect(await caps(`127.0.0.1:${agent().port}`)).toMatchObject({
        ok: false,
        phase: 'connect',
        failure: 'refused',
      });
    });
    it('still answers [::1]', async () => {
      expect((await caps(`[::1]:${agent().port}`)).ok).toBe(true);
    });
  });
});

describe('wrong-last-client (mangles the peer address)', () => {
  withAgent(brokenAgentPrograms['wrong-last-client'], (agent) => {
    it('reports a lastClient that is not the client address', async () => {
      const out = await caps(`[::1]:${agent().port}`);
      expect(out.ok).toBe(true);
      const info = (out as { value: { info: { lastClient: string } } }).value.info;
      expect(info.lastClient).not.toBe(out.local?.address);
    });
  });
});

describe('the reference agent passes the same cells', () => {
  withAgent(REFERENCE_AGENT_PROGRAM, (agent) => {
    it('answers [::1] and 127.0.0.1 and reports lastClient as the client saw itself', async () => {
      for (const target of [`[::1]:${agent().port}`, `127.0.0.1:${agent().port}`]) {
        const out = await caps(target);
        expect(out.ok).toBe(true);
        const last = (out as { value: { info: { lastClient: string } } }).value.info.lastClient;
        expect(last.replace(/^::ffff:/, '')).toBe(out.local?.address);
      }
    });
  });
});
