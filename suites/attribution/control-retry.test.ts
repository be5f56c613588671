// The control arm tries a reference cell that did not pass once more before it blames the
// environment: a moment of load passes the second time and is only noted; a fault that stays
// fails twice and stands, with the reference's own message for the verdict.
import { describe, expect, it } from 'vitest';
import { controlProperties, runControl, type CellResult } from '../../harness/index.ts';

const result = (id: string, status: CellResult['status'], message?: string): CellResult => ({
  id,
  mode: 'dual-stack',
  title: id,
  source: 'test',
  target: 'reference',
  status,
  ...(message ? { message } : {}),
  expected: 'up',
  durationMs: 1,
  repro: [],
  properties: {},
});

describe('the control arm', () => {
  const cells = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

  it('runs again only what did not pass, and keeps what failed twice', async () => {
    const calls: string[][] = [];
    const tries = new Map<string, number>();
    const outcome = await runControl(cells, async (only) => {
      calls.push(only.map((c) => c.id));
      return only.map((c) => {
        const n = (tries.get(c.id) ?? 0) + 1;
        tries.set(c.id, n);
        if (c.id === 'b') return result('b', 'failed', `timed out (try ${n})`);
        if (c.id === 'c' && n === 1) return result('c', 'error', 'reset by peer');
        return result(c.id, 'passed');
      });
    });
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c'],
    ]);
    expect([...outcome.notPassed.keys()]).toEqual(['b']);
    expect(outcome.recovered).toEqual(['c: reset by peer']);
    expect(controlProperties('ipv6-only', 'engine', outcome)).toEqual({
      'ipv6-only.control.engine-not-passed': 'b',
      'ipv6-only.control.engine-why': 'b: timed out (try 2)',
      'ipv6-only.control.engine-passed-on-retry': 'c: reset by peer',
    });
  });

  it('runs once when everything passes, and says none', async () => {
    let runs = 0;
    const outcome = await runControl(cells, async (only) => {
      runs++;
      return only.map((c) => result(c.id, 'passed'));
    });
    expect(runs).toBe(1);
    expect(controlProperties('dual-stack', 'matrix', outcome)).toEqual({
      'dual-stack.control.not-passed': 'none',
    });
  });
});
