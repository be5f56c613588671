import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  agentSpecsFor,
  CELLS,
  type CellResult,
  runMatrix,
  startTopology,
  type StartedTopology,
  targetByName,
} from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

/**
 * Each deliberately broken agent must fail the cells that its fault breaks and pass the cells
 * it does not touch: a matrix that fails everything proves as little as one that passes all.
 */
const CASES: Record<string, { mustFail: string[]; mustPass: string[] }> = {
  'broken-ipv4-only': {
    mustFail: [
      'local.loopback.bracketed',
      'local.loopback.bracketed-port',
      'local.name.localhost6',
      'local.name.localhost6-port',
      'local.link-local.zone',
      'local.link-local.zone-port',
      'local.listener.wildcard',
      'peer.ula.bracketed-port',
      'peer.link-local.zone-port',
      'peer.name.aaaa-only',
    ],
    mustPass: ['local.loopback.ipv4', 'peer.ipv4.dotted'],
  },
  'broken-v6only': {
    mustFail: ['local.loopback.ipv4', 'peer.ipv4.dotted', 'peer.ipv4.mapped'],
    mustPass: [
      'local.loopback.bracketed-port',
      'local.listener.wildcard',
      'peer.ula.bracketed-port',
    ],
  },
  // Without IPv6 names the certificate lacks ::1, the ULA and localhost6 (a name for ::1 only).
  'broken-no-ipv6-san': {
    mustFail: [
      'local.loopback.bracketed',
      'local.loopback.bracketed-port',
      'local.name.localhost6-port',
      'peer.ula.bracketed-port',
    ],
    mustPass: ['local.link-local.zone-port', 'local.loopback.ipv4', 'peer.ipv4.dotted'],
  },
  'broken-wrong-last-client': {
    mustFail: [
      'local.loopback.bracketed-port',
      'local.name.localhost6-port',
      'local.link-local.zone-port',
      'peer.ula.bracketed-port',
      'peer.ipv4.dotted',
    ],
    mustPass: ['local.listener.wildcard', 'tls.client-cert-required'],
  },
  'broken-ipv6-blind-caps': {
    mustFail: ['local.capabilities.addresses'],
    mustPass: [
      'local.loopback.bracketed-port',
      'peer.ula.bracketed-port',
      'local.listener.wildcard',
    ],
  },
  'broken-no-client-auth': {
    mustFail: ['tls.client-cert-required'],
    mustPass: ['local.loopback.bracketed-port', 'peer.ula.bracketed-port', 'peer.ipv4.dotted'],
  },
};

const targets = Object.keys(CASES).map(targetByName);
// Only the cells that use the swapped role: the other roles are the reference agent.
const cells = CELLS.filter((c) => c.role === 'wildcard');

describe.skipIf(dockerReason)(
  dockerTitle('the matrix fails deliberately broken agents on the right cells'),
  () => {
    let topology: StartedTopology | undefined;
    const results = new Map<string, Map<string, CellResult>>();

    beforeAll(async () => {
      topology = await startTopology({
        mode: 'dual-stack',
        provider: 'docker',
        agents: targets.flatMap((t) => agentSpecsFor(t, ['wildcard'])),
      });
      await Promise.all(
        targets.map(async (target) => {
          const rs = await runMatrix(topology!, { target, cells });
          results.set(target.name, new Map(rs.map((r) => [r.id, r])));
        }),
      );
    });
    afterAll(async () => {
      await topology?.down();
    });

    test.for(Object.entries(CASES))('%s', ([name, { mustFail, mustPass }]) => {
      const rs = results.get(name)!;
      for (const id of mustFail) {
        const r = rs.get(id);
        expect(r?.status, `${name}: ${id} should fail (the target is broken): ${r?.observed}`).toBe(
          'failed',
        );
      }
      for (const id of mustPass) {
        const r = rs.get(id);
        expect(r?.status, `${name}: ${id} should pass: ${r?.message}`).toBe('passed');
      }
      for (const r of rs.values()) {
        expect(r.status, `${name}: ${r.id} is a harness error: ${r.message}`).not.toBe('error');
      }
    });

    test('a failed cell carries diagnostics and a repro command', () => {
      const r = results.get('broken-ipv4-only')!.get('local.loopback.bracketed-port')!;
      expect(r.diagnostics).toMatch(/agent's listeners[\s\S]*0\.0\.0\.0:54321/);
      expect(r.diagnostics).toMatch(/agent log tail/);
      expect(r.repro[0]).toMatch(
        /^sixgate run --cell local\.loopback\.bracketed-port --mode dual-stack --target broken-ipv4-only --keep$/,
      );
    });
  },
);
