// The harness's engine client reaches an engine at any address form, a zoned link-local one
// included (undici with a URL would refuse it), and checks the certificate identity it is given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, EngineConnectError, EngineFaultError } from '../../harness/index.ts';
import { linkLocal, makeTls, runEngine, type RunningEngine, type RunTls } from './support.ts';

let tls: RunTls;
let run: RunningEngine;
beforeAll(async () => {
  tls = await makeTls();
  run = await runEngine(tls);
});
afterAll(async () => run?.[Symbol.asyncDispose]());

async function listWith(host: string, identity?: string) {
  await using client = new EngineClient({
    host,
    port: run.engine.port,
    tls: { ca: tls.ca, ...(identity ? { identity } : {}) },
  });
  return client.listHosts();
}

const ll = linkLocal();

describe('EngineClient addressing', () => {
  it('reaches the engine over IPv4 on its :: listener', async () => {
    expect(await listWith('127.0.0.1')).toEqual([]);
  });

  it('reaches the engine by name', async () => {
    expect(await listWith('localhost')).toEqual([]);
  });

  it.skipIf(ll === undefined)(
    `reaches the engine by link-local with a zone${ll ? '' : ' (skipped: no link-local IPv6 address here)'}`,
    async () => {
      expect(await listWith(`${ll!.address}%${ll!.iface}`)).toEqual([]);
    },
  );

  it('refuses an engine whose certificate does not carry the identity', async () => {
    const err = await listWith('::1', 'engine.example').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineConnectError);
    expect((err as EngineConnectError).message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('puts every call under its apiBase (a vendor API at another path)', async () => {
    await using client = new EngineClient({
      host: '::1',
      port: run.engine.port,
      tls: { ca: tls.ca },
      apiBase: '/ovirt-engine/api/',
    });
    const err = await client.listHosts().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineFaultError);
    expect((err as EngineFaultError).message).toMatch(
      /^GET \/ovirt-engine\/api\/hosts answered 404/,
    );
  });
});
