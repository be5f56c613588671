// certify's verdict as a pure function of what results.json holds: a whole, clean run of the
// plan is certified; each way a run can fall short is refused with exactly its reason, naming
// the cells.
import { describe, expect, it } from 'vitest';
import {
  CELLS,
  CERTIFY_MODES,
  certificationPlan,
  ENGINE_CELLS,
  judge,
  type CellResult,
  type RunReport,
} from '../../harness/index.ts';

type Judged = Pick<RunReport, 'results' | 'properties' | 'selection'>;

const plan = certificationPlan();

function clean(): Judged {
  return {
    results: plan.map((p): CellResult => ({
      id: p.id,
      mode: p.mode,
      title: p.id,
      source: 'test',
      target: 'acme-2.1',
      status: 'passed',
      expected: 'connects',
      durationMs: 1,
      repro: [],
      properties: {},
    })),
    properties: {
      'run.target': 'acme-2.1',
      ...Object.fromEntries(
        CERTIFY_MODES.flatMap((m) => [
          [`${m}.control.not-passed`, 'none'],
          [`${m}.control.engine-not-passed`, 'none'],
        ]),
      ),
    },
    selection: { modes: [...CERTIFY_MODES], cells: [], corpus: true },
  };
}

/** The clean report with one change made to it. */
function with_(change: (r: Judged) => void): Judged {
  const r = clean();
  change(r);
  return r;
}

const at = (r: Judged, id: string, mode: string) =>
  r.results.find((x) => x.id === id && x.mode === mode)!;

const [a, b] = [CELLS[0]!.id, ENGINE_CELLS[0]!.id];

describe('the certification verdict', () => {
  it('plans every matrix and engine cell in both modes and the engine corpus once', () => {
    const ids = (mode: string) => plan.filter((p) => p.mode === mode).map((p) => p.id);
    const cells = [...CELLS, ...ENGINE_CELLS].map((c) => c.id);
    expect(ids('ipv6-only')).toEqual(cells);
    const corpus = ids('dual-stack').filter((id) => id.startsWith('corpus.'));
    expect(corpus.length).toBeGreaterThan(100);
    expect(ids('dual-stack')).toEqual([...cells, ...corpus]);
  });

  it('certifies a whole, clean run', () => {
    expect(judge(clean(), plan)).toEqual({ certified: true, reasons: [] });
  });

  const cases: Array<[string, (r: Judged) => void, string[]]> = [
    [
      'a failure, an error and a skip, each listed',
      (r) => {
        at(r, a, 'dual-stack').status = 'failed';
        at(r, a, 'ipv6-only').status = 'failed';
        at(r, b, 'ipv6-only').status = 'error';
        at(r, b, 'dual-stack').status = 'skipped';
      },
      [
        `2 results failed: ${a} [dual-stack], ${a} [ipv6-only]`,
        `1 result errored: ${b} [ipv6-only]`,
        `1 result skipped: ${b} [dual-stack]`,
      ],
    ],
    [
      'a pass only on a retry',
      (r) => {
        at(r, b, 'ipv6-only').properties['cell.retried'] = 'timed out; tried again';
      },
      [`1 result passed only on a retry: ${b} [ipv6-only]`],
    ],
    [
      'a --cell filter',
      (r) => {
        r.selection.cells = ['peer.*'];
      },
      ['the run was filtered to --cell peer.*'],
    ],
    [
      'a shard, and a partial merge of shards',
      (r) => {
        r.selection.shard = { index: 2, count: 4 };
        r.selection.shards = { indices: [1, 3], count: 4 };
      },
      ['the run was one shard (2/4)', 'the run merged only shards 1, 3 of 4'],
    ],
    [
      'one mode only, and no corpus',
      (r) => {
        r.selection.modes = ['ipv6-only'];
        r.selection.corpus = false;
      },
      [
        'the run left out the validation corpus',
        'the run did not cover both network modes (it covered: ipv6-only)',
      ],
    ],
    [
      'a control arm that did not pass, or has no result',
      (r) => {
        r.properties['ipv6-only.control.not-passed'] = `${a},peer.ipv4.dotted`;
        delete r.properties['dual-stack.control.engine-not-passed'];
      },
      [
        'the control arm has no result in dual-stack (dual-stack.control.engine-not-passed missing)',
        `the control arm (the reference target) did not pass in ipv6-only, twice: ${a}, peer.ipv4.dotted`,
      ],
    ],
    [
      'a planned result missing, one added, one twice',
      (r) => {
        const gone = r.results.findIndex((x) => x.id === b && x.mode === 'dual-stack');
        const [removed] = r.results.splice(gone, 1);
        r.results.push({ ...removed!, id: 'made.up' }, { ...at(r, a, 'ipv6-only') });
      },
      [
        `1 result planned but missing: ${b} [dual-stack]`,
        '1 result not in the plan: made.up [dual-stack]',
        `1 result reported more than once: ${a} [ipv6-only]`,
      ],
    ],
    [
      'a result of another target, and an interrupted run',
      (r) => {
        at(r, a, 'dual-stack').target = 'reference';
        r.properties['run.interrupted'] = 'SIGTERM';
      },
      [
        `1 result not of the target 'acme-2.1': ${a} [dual-stack]`,
        'the run was interrupted by SIGTERM',
      ],
    ],
  ];
  it.each(cases)('refuses %s, with exactly its reasons', (_, change, reasons) => {
    expect(judge(with_(change), plan)).toEqual({ certified: false, reasons });
  });
});
