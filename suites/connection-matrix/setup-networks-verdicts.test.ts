// The verdicts of the setupNetworks cells, on outcomes written out by hand: what counts as the
// agent accepting, as refusing, and as naming the value it refused.
import { describe, expect, test } from 'vitest';
import { type CallOutcome, CELLS, checkCall } from '../../harness/index.ts';

const facts = { resolved: ['::1'], elapsedMs: 1 };
const done: CallOutcome = { ...facts, ok: true, value: { status: { code: 0, message: 'Done' } } };
const status = (message: string): CallOutcome => ({
  ...facts,
  ok: false,
  phase: 'rpc',
  failure: 'status-nonzero',
  code: '22',
  message: `status 22: ${message}`,
});
const refused = (...names: string[]) => ({ kind: 'refused', names }) as const;

describe('setupNetworks verdicts', () => {
  test('accepted means status 0, nothing else', () => {
    expect(checkCall({ kind: 'accepted' }, done)).toBeUndefined();
    expect(checkCall({ kind: 'accepted' }, status("sg: ipv6addr 'x' is bad"))).toMatch(
      /expected the agent to accept, but rpc\/status-nonzero 22/,
    );
  });

  test('refused needs a nonzero status, not a fault nor a dead connection', () => {
    expect(checkCall(refused('129'), done)).toBe('the agent accepted it (status 0)');
    const fault: CallOutcome = {
      ...facts,
      ok: false,
      phase: 'rpc',
      failure: 'fault',
      message: 'fault 1: x',
    };
    expect(checkCall(refused('129'), fault)).toMatch(/got rpc\/fault/);
  });

  test.for([
    ['129', "sg: ipv6addr 'fd00::10/129' has prefix '129', not a prefix length 0-128", true],
    ['129', '129 is not valid IPv6 prefixlen.', true],
    ['129', "sg-prefix129: ipv6addr 'fd00::10/1290' is bad", false],
    ['-1', "prefix '-1' is out of range", true],
    ['-1', 'sg-prefix-1: bad prefix', false],
    ['::', "ipv6gateway '::' is unspecified", true],
    ['::', "ipv6gateway 'fd00::1' is bad", false],
    ['ff02::1', 'ff02::1 is multicast', true],
    ['ff02::1', 'ff02::10 is multicast', false],
    ['', "ipv6addr 'fd00::10/' has prefix '', not a prefix length", true],
    ['', 'prefix "" is empty', true],
    ['', 'Invalid network configuration', false],
  ] as const)('%j is named in %j: %s', ([value, message, named]) => {
    const problem = checkCall(refused(value), status(message));
    if (named) expect(problem).toBeUndefined();
    else expect(problem).toMatch(/the refusal does not name/);
  });

  test('every name must be there: the static address and the dynamic setting', () => {
    const e = refused('fd00::10/64', 'dhcpv6');
    expect(
      checkCall(e, status("ipv6addr 'fd00::10/64' cannot be combined with dhcpv6")),
    ).toBeUndefined();
    expect(checkCall(e, status('Mixing of static and dynamic IPv6 configuration'))).toBe(
      "the refusal does not name 'fd00::10/64', 'dhcpv6': status 22: Mixing of static and dynamic IPv6 configuration",
    );
  });

  test('each setupNetworks cell names a value it expects a refusal to carry', () => {
    const cells = CELLS.filter((c) => c.id.startsWith('setup-networks.'));
    expect(cells.length).toBe(12);
    for (const c of cells) {
      const e = c.expect('dual-stack');
      expect(e.kind === 'accepted' || (e.kind === 'refused' && e.names.length > 0), c.id).toBe(
        true,
      );
      expect(c.id.endsWith('-refused'), c.id).toBe(e.kind === 'refused');
    }
  });
});
