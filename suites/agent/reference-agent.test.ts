// The reference agent over real loopback and link-local sockets, called through harness/rpc.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, freePort, type LocalAgent } from '../../harness/index.ts';
import { AGENT_NAME, makePki, ownLinkLocal, startAgent, type Pki } from './fixture.ts';

type Caps = {
  status: { code: number };
  info: { lastClient: string; lastClientIface: string; nics: Record<string, unknown> };
};

let pki: Pki;
let dual: LocalAgent;
let serverOnly: LocalAgent;

beforeAll(async () => {
  pki = await makePki();
  dual = await startAgent(pki, { managementIp: '::' });
  serverOnly = await startAgent(pki, { managementIp: '::', mutualTls: false });
});
afterAll(async () => {
  await dual?.stop();
  await serverOnly?.stop();
  pki?.cleanup();
});

const caps = (target: string, tls = pki.client) =>
  call({ target, method: 'getVdsCapabilities', tls, timeoutMs: 5000 });

describe('reference agent on a :: listener', () => {
  it('answers [::1]:port with status 0 and sees the client as ::1 on lo', async () => {
    const out = await caps(`[::1]:${dual.port}`);
    expect(out).toMatchObject({
      ok: true,
      remote: { address: '::1', family: 6 },
      identity: { value: '::1', kind: 'ip' },
    });
    const value = (out as { value: Caps }).value;
    expect(value.status.code).toBe(0);
    expect(value.info.lastClient).toBe(out.local?.address);
    expect(value.info.lastClientIface).toBe('lo');
    expect(dual.logs()).toMatch(/request getVdsCapabilities from ::1 port \d+/);
  });

  it('answers IPv4 127.0.0.1 on the same dual-stack socket, seen as ::ffff:127.0.0.1', async () => {
    const out = await caps(`127.0.0.1:${dual.port}`);
    expect(out.ok).toBe(true);
    expect((out as { value: Caps }).value.info.lastClient).toBe('::ffff:127.0.0.1');
  });

  it('reports real interfaces: every nic carries the documented keys', async () => {
    const out = await caps(`[::1]:${dual.port}`);
    const nics = (out as { value: Caps }).value.info.nics;
    expect(Object.keys(nics)).not.toContain('lo');
    for (const nic of Object.values(nics)) {
      expect(nic).toEqual(
        expect.objectContaining({
          ipv6addrs: expect.any(Array),
          ipv6gateway: expect.any(String),
          mtu: expect.stringMatching(/^\d+$/),
          cfg: {},
        }),
      );
    }
  });

  const hosts = readFileSync('/etc/hosts', 'utf8');
  for (const name of ['localhost6', 'localhost']) {
    const present = new RegExp(`^\\S+\\s.*\\b${name}\\b`, 'm').test(hosts);
    it.skipIf(!present)(`answers the name ${name} (skipped when /etc/hosts lacks it)`, async () => {
      const out = await caps(`${name}:${dual.port}`);
      expect(out).toMatchObject({ ok: true, identity: { value: name, kind: 'dns' } });
      expect(out.resolved.length).toBeGreaterThan(0);
    });
  }

  const ll = ownLinkLocal();
  describe.skipIf(!ll)(
    `the host's own link-local address (skipped: no fe80:: address on any interface)`,
    () => {
      const { address, iface, index } = ll ?? { address: '', iface: '', index: 0 };
      it('connects with a named zone and verifies the agent by DNS name, not the scoped address', async () => {
        const out = await caps(`[${address}%${iface}]:${dual.port}`, {
          ...pki.client,
          identity: AGENT_NAME,
        });
        expect(out).toMatchObject({
          ok: true,
          remote: { address: `${address}%${iface}` },
          identity: { value: AGENT_NAME, kind: 'dns' },
        });
        expect((out as { value: Caps }).value.info).toMatchObject({
          lastClient: `${address}%${iface}`,
          lastClientIface: iface,
        });
      });
      it('connects with a numeric zone (the interface index)', async () => {
        const out = await caps(`[${address}%${index}]:${dual.port}`, {
          ...pki.client,
          identity: AGENT_NAME,
        });
        expect(out).toMatchObject({ ok: true, remote: { address: `${address}%${iface}` } });
      });
      it('without an identity checks the address minus its zone, which no certificate names', async () => {
        const out = await caps(`[${address}%${iface}]:${dual.port}`);
        expect(out).toMatchObject({
          ok: false,
          phase: 'handshake',
          failure: 'cert-name',
          identity: { value: address, kind: 'ip' },
        });
      });
    },
  );
});

describe('failures land in their phase', () => {
  it('a port with no listener is refused in connect', async () => {
    const out = await caps(`[::1]:${await freePort()}`);
    expect(out).toMatchObject({
      ok: false,
      phase: 'connect',
      failure: 'refused',
      code: 'ECONNREFUSED',
    });
  });
  it('a zone naming no interface is rejected before connecting', async () => {
    const out = await caps(`[fe80::1%nosuchif0]:${dual.port}`);
    expect(out).toMatchObject({ ok: false, phase: 'resolve', failure: 'no-such-interface' });
    expect(out.remote).toBeUndefined();
  });
  it('a malformed host spec fails in parse', async () => {
    const out = await caps('[::1');
    expect(out).toMatchObject({ ok: false, phase: 'parse', failure: 'invalid-spec' });
  });
  it('an unknown name fails in resolve', async () => {
    const out = await caps(`no-such-host.invalid:${dual.port}`);
    expect(out).toMatchObject({ ok: false, phase: 'resolve', failure: 'nxdomain' });
  });
  it('an identity the certificate does not name fails the name check', async () => {
    const out = await caps(`[::1]:${dual.port}`, { ...pki.client, identity: 'someone-else.test' });
    expect(out).toMatchObject({
      ok: false,
      phase: 'handshake',
      failure: 'cert-name',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });
  it('a CA that did not sign the agent is untrusted', async () => {
    const other = await makePki();
    try {
      const out = await caps(`[::1]:${dual.port}`, other.client);
      expect(out).toMatchObject({ ok: false, phase: 'handshake', failure: 'cert-untrusted' });
    } finally {
      other.cleanup();
    }
  });
  it('a listener that never speaks TLS times out in the handshake within the call limit', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen({ host: '::1', port: 0 }, r));
    try {
      const { port } = silent.address() as { port: number };
      const out = await call({
        target: `[::1]:${port}`,
        method: 'ping',
        tls: pki.client,
        timeoutMs: 300,
      });
      expect(out).toMatchObject({ ok: false, phase: 'handshake', failure: 'timeout' });
      expect(out.elapsedMs).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });
  it('an unknown method is an XML-RPC fault', async () => {
    const out = await call({ target: `[::1]:${dual.port}`, method: 'noSuchVerb', tls: pki.client });
    expect(out).toMatchObject({ ok: false, phase: 'rpc', failure: 'fault', code: '1' });
  });
});

describe('mutual and server-only TLS', () => {
  it('mutual TLS rejects a client without a certificate', async () => {
    const out = await caps(`[::1]:${dual.port}`, pki.anonymous);
    // TLS 1.3 delivers the server's refusal as an alert after the client's handshake; the
    // client reports it where it belongs, in the handshake.
    expect(out).toMatchObject({ ok: false, phase: 'handshake', failure: 'tls-protocol' });
    await vi.waitFor(() => expect(dual.logs()).toMatch(/tls error from ::1: .*certificate/));
  });
  it('server-only TLS answers a client without a certificate', async () => {
    const out = await caps(`[::1]:${serverOnly.port}`, pki.anonymous);
    expect(out.ok).toBe(true);
    expect(serverOnly.logs()).toMatch(/server-only TLS/);
  });
});
