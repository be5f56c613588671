// Sensitivity: each deliberately broken agent fails exactly the cell it was broken for, while the
// cells it was not broken for still pass (so the failure is the bug, not a dead agent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentStartError,
  call,
  REFERENCE_AGENT_PROGRAM,
  SixgateTimeoutError,
  type LocalAgent,
} from '../../harness/index.ts';
import { brokenAgentPrograms } from '../../fixtures/broken-agents/index.ts';
import { agentNic, makePki, startAgent, type Pki } from './fixture.ts';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
afterAll(() => pki?.cleanup());

const caps = (target: string) =>
  call({ target, method: 'getVdsCapabilities', tls: pki.client, timeoutMs: 5000 });

function withAgent(program: string, body: (agent: () => LocalAgent) => void, managementIp = '::') {
  let agent: LocalAgent;
  beforeAll(async () => {
    agent = await startAgent(pki, { program, managementIp });
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

describe('binds-wildcard (binds :: whatever management_ip says)', () => {
  withAgent(
    brokenAgentPrograms['binds-wildcard'],
    (agent) => {
      it('answers [::1] though told to listen on 127.0.0.1 only', async () => {
        expect((await caps(`[::1]:${agent().port}`)).ok).toBe(true);
      });
    },
    '127.0.0.1',
  );
});

const nic = agentNic();
const setup = (port: number, attrs: Record<string, unknown>) =>
  call({
    target: `[::1]:${port}`,
    method: 'setupNetworks',
    params: [{ sgtest: { nic, ...attrs } }, {}, { connectivityCheck: false }],
    tls: pki.client,
  });
const networkOf = async (port: number) =>
  (
    (await caps(`[::1]:${port}`)) as {
      value: { info: { networks: Record<string, { ipv6gateway: string }> } };
    }
  ).value.info.networks.sgtest;

describe('accepts-prefix-129 (an off-by-one prefix check)', () => {
  withAgent(brokenAgentPrograms['accepts-prefix-129'], (agent) => {
    it('accepts /129 and still refuses /130', async () => {
      expect((await setup(agent().port, { ipv6addr: 'fd00::10/129' })).ok).toBe(true);
      expect((await setup(agent().port, { ipv6addr: 'fd00::10/130' })).ok).toBe(false);
    });
  });
});

describe('accepts-static-dynamic (no check on static with dynamic IPv6)', () => {
  withAgent(brokenAgentPrograms['accepts-static-dynamic'], (agent) => {
    it('accepts a static address with dhcpv6', async () => {
      const out = await setup(agent().port, { ipv6addr: 'fd00::10/64', dhcpv6: true });
      expect(out.ok).toBe(true);
    });
  });
});

describe('vague-refusals (refuses without naming the value)', () => {
  withAgent(brokenAgentPrograms['vague-refusals'], (agent) => {
    it('refuses /129 with the right code and a message without the value', async () => {
      const out = await setup(agent().port, { ipv6addr: 'fd00::10/129' });
      expect(out).toMatchObject({ ok: false, failure: 'status-nonzero', code: '22' });
      expect((out as { message: string }).message).not.toMatch(/129/);
    });
  });
});

describe('drops-gateway (accepts ipv6gateway, then forgets it)', () => {
  withAgent(brokenAgentPrograms['drops-gateway'], (agent) => {
    it('answers Done but reports another gateway', async () => {
      const out = await setup(agent().port, { ipv6addr: 'fd00::10/64', ipv6gateway: 'fd00::fe' });
      expect(out.ok).toBe(true);
      expect((await networkOf(agent().port))?.ipv6gateway).not.toBe('fd00::fe');
    });
  });
});

describe('gives-up-on-tentative (binds once, exits on EADDRNOTAVAIL)', () => {
  // TEST-NET-1 (RFC 5737): no host here has it, so bind(2) fails as on a tentative address.
  const absent = '192.0.2.7';
  it('exits with code 1, naming the address', async () => {
    const started = startAgent(pki, {
      program: brokenAgentPrograms['gives-up-on-tentative'],
      managementIp: absent,
    });
    await expect(started).rejects.toBeInstanceOf(AgentStartError);
    await expect(started).rejects.toMatchObject({
      agentExitCode: 1,
      log: expect.stringMatching(/cannot listen on 192\.0\.2\.7 port \d+: .*EADDRNOTAVAIL/),
    });
  });
  it('where the reference agent stays up, waiting for the address', async () => {
    const started = startAgent(pki, { managementIp: absent, readyTimeoutMs: 3000 });
    // Still running when the launcher gave up waiting for it to listen: it never exited.
    await expect(started).rejects.toBeInstanceOf(SixgateTimeoutError);
  });
});

describe('the reference agent passes the same cells', () => {
  withAgent(REFERENCE_AGENT_PROGRAM, (agent) => {
    it('records a static address with its gateway, and refuses /129 naming it', async () => {
      const set = await setup(agent().port, { ipv6addr: 'fd00::10/64', ipv6gateway: 'fd00::fe' });
      expect(set.ok).toBe(true);
      expect((await networkOf(agent().port))?.ipv6gateway).toBe('fd00::fe');
      const refused = await setup(agent().port, { ipv6addr: 'fd00::10/129' });
      expect((refused as { message: string }).message).toMatch(/'129'/);
    });
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
