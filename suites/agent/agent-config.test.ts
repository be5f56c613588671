// vdsm.conf is validated strictly: a bad value stops the agent with exit code 2 and a log line
// naming the key and the rule, instead of a silent fallback to a default address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentConfigError,
  parseAgentConfig,
  startLocalAgent,
  type AgentStartError,
} from '../../harness/index.ts';
import { makePki, type Pki } from './fixture.ts';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});
afterAll(() => pki?.cleanup());

const conf = (addresses: string, vars = '') =>
  `[vars]\nssl = true\n${vars}\n[addresses]\n${addresses}\n`;

describe('the agent process refuses an invalid vdsm.conf', () => {
  const cases = [
    { text: conf('management_ip = [::1]'), key: 'management_ip' },
    { text: conf('management_ip = localhost'), key: 'management_ip' },
    { text: conf('management_ip = fe80::1'), key: 'management_ip' },
    { text: conf('management_ip = fd00::1%eth0'), key: 'management_ip' },
    { text: conf('management_ip = ::\nmanagement_port = 70000'), key: 'management_port' },
    { text: conf('management_ip = ::\nmanagement_port = 0'), key: 'management_port' },
    { text: conf('management_ip = ::', 'ssl_verify_client = maybe'), key: 'ssl_verify_client' },
  ];
  for (const c of cases) {
    it(`exits 2 naming ${c.key} for ${JSON.stringify(c.text.split('\n').filter((l) => l.includes(c.key))[0])}`, async () => {
      const root = mkdtempSync(join(pki.dir, 'bad-'));
      const err = (await startLocalAgent({ root, tls: pki.agent, configText: c.text }).then(
        () => undefined,
        (e: unknown) => e,
      )) as AgentStartError | undefined;
      expect(err?.code).toBe('SIXGATE_AGENT_START');
      expect(err?.agentExitCode).toBe(2);
      expect(err?.log).toMatch(new RegExp(`invalid config: .*vdsm\\.conf: \\[\\w+\\] ${c.key} `));
    });
  }
});

describe('parseAgentConfig', () => {
  it('applies the historic defaults: 0.0.0.0, 54321, mutual TLS', () => {
    expect(parseAgentConfig('vdsm.conf', '')).toEqual({
      managementIp: '0.0.0.0',
      managementPort: 54321,
      verifyClient: true,
    });
  });
  it('accepts ::, a ULA, and a link-local address with its zone', () => {
    for (const ip of ['::', 'fd00::5', 'fe80::5%eth0', '192.0.2.7']) {
      expect(parseAgentConfig('f', conf(`management_ip = ${ip}`)).managementIp).toBe(ip);
    }
  });
  it('reads ssl_verify_client = false as server-only TLS', () => {
    expect(parseAgentConfig('f', conf('', 'ssl_verify_client = false')).verifyClient).toBe(false);
  });
  it('rejects IPv4 shorthand that ipaddr.js would accept', () => {
    expect(() => parseAgentConfig('f', conf('management_ip = 127.1'))).toThrow(AgentConfigError);
  });
});
