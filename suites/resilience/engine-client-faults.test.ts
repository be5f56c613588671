// An engine that refuses, resets, hangs, answers garbage or answers too much has failed: the
// engine client says so as an EngineTransportError naming the request, the address and the
// limit, and the corpus validator turns it into failed verdicts on the cases it carried — never
// an unhandled rejection. Real TLS sockets on ::1, and the fault engine fixtures as processes.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCa,
  ENGINE_REPLY_MAX_BYTES,
  ENGINE_REQUEST_TIMEOUT_MS,
  EngineClient,
  EngineTransportError,
  isEngineField,
  issueCert,
  loadCorpus,
  MAX_FAULTS_IN_A_ROW,
  routeFor,
  startLocalEngine,
  validateThroughEngine,
} from '../../harness/index.ts';
import { closedPort, misbehavingPeer, RAW_CONTROL } from './support.ts';

const unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', collect);
});
afterAll(() => {
  process.off('unhandledRejection', collect);
});

const client = (port: number, ca: string, timeoutMs?: number) =>
  new EngineClient({
    host: '::1',
    port,
    tls: { ca },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });

async function failure(work: Promise<unknown>): Promise<EngineTransportError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineTransportError);
  return err as EngineTransportError;
}

describe('the engine client classifies every transport fault as the engine’s', () => {
  it('documents its limits', () => {
    expect(ENGINE_REQUEST_TIMEOUT_MS).toBe(10_000);
    expect(ENGINE_REPLY_MAX_BYTES).toBe(4 * 1024 * 1024);
  });

  it('refused: names the request and the address', async () => {
    const port = await closedPort();
    const { ca } = await createCa({ commonName: 'unused' }).then((c) => ({ ca: c.certPem }));
    await using c = client(port, ca);
    const err = await failure(c.addHost({ name: 'h', address: 'fd00::1' }));
    expect(err.fault).toBe('refused');
    expect(err.message).toBe(
      `POST /api/hosts to [::1]:${port}: cannot connect: connect ECONNREFUSED ::1:${port} (ECONNREFUSED)`,
    );
  });

  it('reset: the connection dropped with RST while the request was in flight', async () => {
    await using peer = await misbehavingPeer((_req, _res, raw) => raw.resetAndDestroy());
    await using c = client(peer.port, peer.ca);
    const err = await failure(c.listHosts());
    expect(err.fault).toBe('reset');
    expect(err.message).toMatch(
      new RegExp(
        `^GET /api/hosts to \\[::1\\]:${peer.port}: the connection was closed before a complete response`,
      ),
    );
  });

  it('slow: no response headers within the per-request limit (an option, here 300 ms)', async () => {
    await using peer = await misbehavingPeer((req) => req.resume());
    await using c = client(peer.port, peer.ca, 300);
    const err = await failure(c.addHost({ name: 'h', address: 'fd00::1' }));
    expect(err.fault).toBe('timeout');
    expect(err.message).toBe(
      `POST /api/hosts to [::1]:${peer.port}: no response headers within 300 ms`,
    );
  });

  it('slow: a body that never completes', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"hosts": [');
      const drip = setInterval(() => res.write(' '), 50);
      res.once('close', () => clearInterval(drip));
    });
    await using c = client(peer.port, peer.ca, 400);
    const err = await failure(c.listHosts());
    expect(err.fault).toBe('timeout');
    expect(err.message).toMatch(
      /^GET \/api\/hosts to \[::1\]:\d+: the response body did not complete within 400 ms$/,
    );
  });

  it('garbage: a 200 that is not JSON, quoted clipped and escaped', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.end(`<html>\u001b[31m502 Bad Gateway\u0007${'#'.repeat(10_000)}</html>`);
    });
    await using c = client(peer.port, peer.ca);
    const err = await failure(c.addStorageConnection({ type: 'nfs', connection: '[fd00::5]:/e' }));
    expect(err.fault).toBe('malformed');
    expect(err.message).toMatch(
      /^POST \/api\/storageconnections to \[::1\]:\d+: answered 200 with a body that is not the documented JSON: '<html>\\x1b\[31m502 Bad Gateway\\x07#+\[… \d+ bytes cut\]'$/,
    );
    expect(err.message).not.toMatch(RAW_CONTROL);
  });

  it('garbage: a dry run answered 200 without `normalized`', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.end('{"dryRun": true}');
    });
    await using c = client(peer.port, peer.ca);
    const err = await failure(c.dryRun('hosts', { name: 'h', address: 'fd00::1' }));
    expect(err.fault).toBe('malformed');
    expect(err.request).toBe('POST /api/hosts?dryRun=true');
  });

  it('too large: a body streamed past the cap is read no further', async () => {
    let written = 0;
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      const pump = (): void => {
        while (written < 200 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await using c = client(peer.port, peer.ca);
    const err = await failure(c.listNics('h1'));
    expect(err.fault).toBe('too-large');
    expect(err.message).toMatch(
      /^GET \/api\/hosts\/h1\/nics to \[::1\]:\d+: the response body grew past the 4 MiB cap \(ENGINE_REPLY_MAX_BYTES\)/,
    );
    // The engine kept writing into a dropped connection: far less than it meant to send arrived.
    expect(written).toBeLessThan(100 * 1024 * 1024);
  });

  it('too large: a Content-Length over the cap is refused before reading', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      res.write('{');
    });
    await using c = client(peer.port, peer.ca);
    const err = await failure(c.listHosts());
    expect(err.fault).toBe('too-large');
    expect(err.message).toMatch(/declares 67108864 bytes, over the 4 MiB cap/);
  });
});

describe('the corpus through a failing engine: failed verdicts, no crash', () => {
  const cases = loadCorpus().filter((c) => isEngineField(c.field));

  it('an engine that resets every request fails every case, and is not sent the rest', async () => {
    let received = 0;
    await using peer = await misbehavingPeer((_req, _res, raw) => {
      received++;
      raw.resetAndDestroy();
    });
    await using c = client(peer.port, peer.ca);
    const verdicts = await validateThroughEngine(c, cases);
    expect(verdicts).toHaveLength(cases.length);
    for (const v of verdicts) {
      expect(v.error, v.input).toMatch(
        /^POST \/api\/(hosts|hosts\/-\/networkattachments|storageconnections)\?dryRun=true to \[::1\]:\d+: |^POST \/api\/validate to /,
      );
    }
    const notSent = verdicts.filter((v) =>
      /not sent: the engine answered none of the \d+ requests before it, the last: POST /.test(
        v.error!,
      ),
    );
    // Every dry run but the first few; the validate batch went out at once with them.
    const dryRuns = cases.filter((c) => routeFor(c.field, c.input) !== undefined);
    expect(notSent.length).toBeGreaterThan(dryRuns.length - 20);
    // The requests already in flight when the fifth failed, and no more.
    expect(received).toBeLessThan(MAX_FAULTS_IN_A_ROW + 10);
  });

  it('an engine that answers garbage fails each case on its own answer, and stops nothing', async () => {
    let received = 0;
    await using peer = await misbehavingPeer((req, res) => {
      received++;
      req.resume();
      res.end('<html>502</html>');
    });
    await using c = client(peer.port, peer.ca);
    const verdicts = await validateThroughEngine(c, cases);
    for (const v of verdicts) {
      expect(v.error, v.input).toMatch(
        /: answered 200 with a body that is not the documented JSON: '<html>502<\/html>'$/,
      );
    }
    // Every dry run, and the one validate batch.
    const dryRuns = cases.filter((c) => routeFor(c.field, c.input) !== undefined);
    expect(received).toBe(dryRuns.length + 1);
  });

  it('the resets fixture: answers until the corpus starts, then fails it, case by case', async () => {
    const ca = await createCa({ commonName: 'sixgate resilience engine CA' });
    const api = await issueCert(ca, {
      commonName: 'engine',
      usage: 'server',
      ipAddresses: ['::1'],
    });
    const engine = await startLocalEngine({
      entry: fileURLToPath(new URL('../../fixtures/broken-engines/resets.ts', import.meta.url)),
      listen: '::1',
      tls: { ca: ca.certPem, cert: api.certPem, key: api.keyPem },
      // A TypeScript fixture compiled at start: slow on a loaded CI machine, and not under test.
      timeoutMs: 120_000,
    });
    try {
      await using c = client(engine.port, ca.certPem);
      expect(await c.listHosts()).toEqual([]);
      const verdicts = await validateThroughEngine(c, cases);
      expect(verdicts.filter((v) => v.error === undefined).map((v) => v.input)).toEqual([]);
      // Once the corpus started, new connections are reset too, before TLS.
      const after = await failure(c.listHosts());
      expect(after.fault).toBe('reset');
      expect(after.message).toMatch(/^GET \/api\/hosts to \[::1\]:\d+: /);
    } finally {
      await engine.stop();
    }
  });

  it('left no rejection unhandled', () => {
    expect(unhandled).toEqual([]);
  });
});
