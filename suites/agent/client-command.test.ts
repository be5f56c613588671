// `sixgate client`, run through the CLI entry with captured output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, main, type Io, type LocalAgent } from '../../harness/index.ts';
import { makePki, startAgent, type Pki } from './fixture.ts';

let pki: Pki;
let agent: LocalAgent;
beforeAll(async () => {
  pki = await makePki();
  agent = await startAgent(pki);
});
afterAll(async () => {
  await agent?.stop();
  pki?.cleanup();
});

async function client(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: process.stdin,
  };
  const tlsArgs = ['--ca', pki.files.ca, '--cert', pki.files.cert, '--key', pki.files.key];
  const code = await main(['client', '-s', ...tlsArgs, ...args], io);
  return { code, stdout, stderr };
}

describe('sixgate client', () => {
  it('getVdsCaps prints the reply as JSON and exits 0', async () => {
    const out = await client(`[::1]:${agent.port}`, 'getVdsCaps');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      status: { code: 0, message: 'Done' },
      info: { lastClient: '::1' },
    });
  });
  it('--json prints the whole outcome, facts included', async () => {
    const out = await client('--json', `127.0.0.1:${agent.port}`, 'ping');
    expect(JSON.parse(out.stdout)).toMatchObject({
      ok: true,
      remote: { address: '127.0.0.1', family: 4 },
      identity: { kind: 'ip' },
    });
  });
  it('names the phase and class on a refused connect and exits 1', async () => {
    const out = await client(`[::1]:${await freePort()}`, 'getVdsCaps');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^sixgate client: failed to connect ::1 port \d+ \(connect\/refused, ECONNREFUSED\)/,
    );
  });
  it('names the parse phase for a bad host spec', async () => {
    const out = await client('[fe80::1', 'getVdsCaps');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/failed to parse the host spec \(parse\/invalid-spec/);
  });
  it('exits 2 on a usage error', async () => {
    const out = await client(`[::1]:${agent.port}`);
    expect(out.code).toBe(2);
  });
});
