// A real, independent client against the reference agent: Python's xmlrpc.client with an ssl
// context holding the CA and a client certificate (mutual TLS, verified hostname ::1).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalAgent } from '../../harness/index.ts';
import { makePki, startAgent, type Pki } from './fixture.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./python-client.py', import.meta.url));
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

it('python xmlrpc.client calls getVdsCapabilities over https://[::1]:port/RPC2 and gets status 0', async () => {
  const { stdout } = await run(
    'python3',
    [script, String(agent.port), pki.files.ca, pki.files.cert, pki.files.key],
    { timeout: 20_000 },
  );
  expect(JSON.parse(stdout)).toEqual({ status: { code: 0, message: 'Done' }, lastClient: '::1' });
});
