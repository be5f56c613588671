import { describe, expect, test } from 'vitest';
import { type CallOutcome, checkCall, checkListensOn, sameHost } from '../../harness/index.ts';

const ok = (lastClient: string, local: string): CallOutcome => ({
  ok: true,
  value: { status: { code: 0, message: 'Done' }, info: { lastClient } },
  resolved: [],
  local: { address: local, port: 40000 },
  elapsedMs: 1,
});
const refused: CallOutcome = {
  ok: false,
  phase: 'connect',
  failure: 'refused',
  code: 'ECONNREFUSED',
  message: 'connect ECONNREFUSED ::1:54321',
  resolved: ['::1'],
  elapsedMs: 1,
};

describe('matrix verdicts', () => {
  test('sameHost folds IPv4-mapped, zones and case, and nothing else', () => {
    expect(sameHost('::ffff:172.18.0.3')).toBe(sameHost('172.18.0.3'));
    expect(sameHost('FE80::1%eth0')).toBe(sameHost('fe80::1'));
    expect(sameHost('fd00:0:0::5')).toBe('fd00::5');
    expect(sameHost('fd00::5')).not.toBe(sameHost('fd00::6'));
    expect(sameHost('::1')).not.toBe(sameHost('127.0.0.1'));
  });

  test('a connection passes only when lastClient names the caller', () => {
    expect(checkCall({ kind: 'connects' }, ok('::ffff:10.0.0.3', '10.0.0.3'))).toBeUndefined();
    expect(checkCall({ kind: 'connects' }, ok('fd00::9', 'fd00::3'))).toMatch(/lastClient fd00::9/);
    expect(checkCall({ kind: 'connects' }, refused)).toMatch(/expected to connect/);
  });

  test('an expected failure must fail in the named phase and class', () => {
    const e = { kind: 'fails', phases: ['connect'], failures: ['refused'] } as const;
    expect(
      checkCall({ ...e, phases: [...e.phases], failures: [...e.failures] }, refused),
    ).toBeUndefined();
    expect(
      checkCall({ kind: 'fails', phases: ['connect'], failures: ['timeout'] }, refused),
    ).toMatch(/expected/);
    expect(checkCall({ kind: 'fails', phases: ['parse'] }, refused)).toMatch(/expected/);
    expect(checkCall({ kind: 'fails', phases: ['connect'] }, ok('::1', '::1'))).toMatch(
      /but it connected/,
    );
    expect(checkCall({ kind: 'fails', phases: ['connect'], mentions: /zone/ }, refused)).toMatch(
      /does not say/,
    );
  });

  test('an agent passes on its management_ip only when it listens there and on no wildcard', () => {
    const at = (address: string, port = 54321) => ({
      family: address.includes(':') ? (6 as const) : (4 as const),
      address,
      port,
      display: `${address}:${port}`,
    });
    expect(checkListensOn('fd00::110', 54321, [at('fd00::110'), at('127.0.0.11', 40000)])).toBe(
      undefined,
    );
    // A wildcard on another port is not the agent's listener.
    expect(checkListensOn('fd00::110', 54321, [at('fd00::110'), at('::', 8443)])).toBeUndefined();
    expect(checkListensOn('fd00::110', 54321, [at('::')])).toMatch(
      /listens on the wildcard :::54321, not on its management_ip fd00::110/,
    );
    expect(checkListensOn('fd00::110', 54321, [at('fd00::110'), at('0.0.0.0')])).toMatch(
      /the wildcard 0\.0\.0\.0:54321/,
    );
    expect(checkListensOn('fd00::110', 54321, [at('fd00::10')])).toMatch(
      /no LISTEN socket on fd00::110 port 54321; .* listens on: fd00::10:54321/,
    );
  });
});
