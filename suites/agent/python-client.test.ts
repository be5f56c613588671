// A real, independent client against the reference agent: Python's xmlrpc.client with an ssl
// context holding the CA and a client certificate (mutual TLS), in the documented forms this
// host can offer.
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAgent } from '../../harness/index.ts';
import { makePki, ownLinkLocal, startAgent, type Pki } from './fixture.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./python-client.py', import.meta.url));
const linkLocal = ownLinkLocal();
const localhost6 = await lookup('localhost6', { family: 6 }).then(
  (a) => a.address === '::1',
  () => false,
);

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

async function python(host: string, verifyHostname: boolean) {
  const { stdout } = await run(
    'python3',
    [
      script,
      host,
      String(agent.port),
      pki.files.ca,
      pki.files.cert,
      pki.files.key,
      verifyHostname ? '1' : '0',
    ],
    { timeout: 20_000 },
  );
  return JSON.parse(stdout) as { status: unknown; lastClient: string };
}

const done = { code: 0, message: 'Done' };

describe('python xmlrpc.client against the reference agent', () => {
  it('https://[::1]:port/RPC2, hostname ::1 verified', async () => {
    expect(await python('[::1]', true)).toEqual({ status: done, lastClient: '::1' });
  });

  it('https://127.0.0.1:port/RPC2 reaches the :: listener as IPv4-mapped', async () => {
    expect(await python('127.0.0.1', true)).toEqual({
      status: done,
      lastClient: '::ffff:127.0.0.1',
    });
  });

  it.skipIf(!localhost6)(
    `https://localhost6:port/RPC2${localhost6 ? '' : ' [skipped: this host has no localhost6 in /etc/hosts]'}`,
    async () => {
      expect(await python('localhost6', true)).toEqual({ status: done, lastClient: '::1' });
    },
  );

  it.skipIf(!linkLocal)(
    `https://[fe80::…%iface]:port/RPC2, chain verified${linkLocal ? '' : ' [skipped: this host has no link-local address]'}`,
    async () => {
      const r = await python(`[${linkLocal!.address}%${linkLocal!.iface}]`, false);
      expect(r.status).toEqual(done);
      expect(r.lastClient.replace(/%.*$/, '')).toBe(linkLocal!.address);
    },
  );

  it('refuses an agent whose certificate the CA did not sign', async () => {
    const other = await makePki();
    try {
      await expect(
        run(
          'python3',
          [
            script,
            '[::1]',
            String(agent.port),
            other.files.ca,
            other.files.cert,
            other.files.key,
            '1',
          ],
          {
            timeout: 20_000,
          },
        ),
      ).rejects.toThrow(/CERTIFICATE_VERIFY_FAILED/);
    } finally {
      other.cleanup();
    }
  });
});
