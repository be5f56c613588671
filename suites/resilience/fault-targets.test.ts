// `sixgate run` against a target of each fault class, as CI runs it: an agent answering 50 MB,
// or 50 MB of terminal junk in one value (and 4 MB log lines); an engine that resets every
// connection once the corpus starts, one that never answers some requests, one that answers
// garbage or too much. Each run must end 1 with a JUnit file whose <failure>s are exactly the
// cells and corpus cases that met the fault — no <error>, no crash — stay small and escaped, and
// leave nothing behind on Docker.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CELLS,
  dockerClient,
  ENGINE_CELLS,
  isEngineField,
  loadCorpus,
  routeFor,
} from '../../harness/index.ts';
import { sixgate } from '../support/cli.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import { ownedBy, readJunit, removeOwned } from '../support/lifecycle.ts';
import { RAW_CONTROL } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'sixgate-faults-'));
const pids: number[] = [];
afterAll(async () => {
  // Only when an assertion below failed is there anything left to remove.
  await removeOwned(dockerClient(), pids);
  rmSync(dir, { recursive: true, force: true });
});

/** Every cell on the `::` agent that needs a getVdsCapabilities answer from it. */
const WILDCARD_CAPABILITIES = [
  'local.loopback.bracketed',
  'local.loopback.bracketed-port',
  'local.name.localhost6',
  'local.name.localhost6-port',
  'local.link-local.zone',
  'local.link-local.zone-port',
  'local.capabilities.addresses',
  'local.loopback.bare',
  'local.loopback.ipv4',
  'peer.ula.bracketed-port',
  'peer.ula.bare',
  'peer.ula.uppercase',
  'peer.ula.full-form',
  'peer.link-local.zone-port',
  'peer.link-local.numeric-zone',
  'peer.name.aaaa-only',
  'peer.name.dual',
  'peer.ipv4.dotted',
  'peer.ipv4.mapped',
];
/** Every engine cell that adds the `::` agent: the engine's getVdsCapabilities call fails. */
const ENGINE_ADDS_WILDCARD = [
  'engine.add-host.ula',
  'engine.add-host.link-local-zone',
  'engine.add-host.aaaa-only-name',
  'engine.add-host.ipv4',
  'engine.network.static-ipv6',
  'engine.network.static-gateway',
  'engine.network.autoconf',
  'engine.network.dhcpv6',
  'engine.network.prefix-129-refused',
];

const corpus = () => loadCorpus().filter((c) => isEngineField(c.field));
const caseId = (c: { id: string }) => `corpus.${c.id}`;
/** Every matrix and engine cell by id: a full run without the corpus, which an agent fault spares. */
const everyCell = [...CELLS, ...ENGINE_CELLS].flatMap((c) => ['--cell', c.id]);

interface Case {
  target: string;
  /** `--cell` arguments; none runs the corpus too. */
  cells: string[];
  failing: () => string[];
  /** What the JUnit file may weigh at most: a few KiB per failure, whatever the target wrote. */
  maxJunitBytes: number;
}

const CASES: Case[] = [
  {
    target: 'broken-huge-reply',
    cells: everyCell,
    failing: () => [...WILDCARD_CAPABILITIES, ...ENGINE_ADDS_WILDCARD],
    maxJunitBytes: 2 << 20,
  },
  {
    // Its 4 MB log lines land in every failed cell's agent log tail: 600 KiB each, uncapped.
    target: 'broken-junk-value',
    cells: everyCell,
    failing: () => [...WILDCARD_CAPABILITIES, ...ENGINE_ADDS_WILDCARD],
    maxJunitBytes: 2 << 20,
  },
  {
    // The engine cells run before the corpus and pass; every corpus case meets a reset.
    target: 'broken-engine-resets',
    cells: [],
    failing: () => corpus().map(caseId),
    maxJunitBytes: 8 << 20,
  },
  {
    // It never answers a real storage connection, nor the validate batch.
    target: 'broken-engine-slow',
    cells: [],
    failing: () => [
      'engine.storage.bracketed-ipv6',
      ...corpus()
        .filter((c) => routeFor(c.field, c.input) === undefined)
        .map(caseId),
    ],
    maxJunitBytes: 8 << 20,
  },
  {
    // An HTML page for every storage connection, dry run or not; 50 MB for a NIC table.
    target: 'broken-engine-garbage',
    cells: [],
    failing: () => [
      'engine.network.static-ipv6',
      'engine.storage.bracketed-ipv6',
      ...corpus()
        .filter((c) => c.field === 'storage')
        .map(caseId),
    ],
    maxJunitBytes: 8 << 20,
  },
];

describe.skipIf(dockerReason)(dockerTitle('sixgate run against fault targets'), () => {
  it.each(CASES)(
    '$target: exit 1, exactly the cells that met the fault fail, a small escaped report, nothing left',
    async ({ target, cells, failing, maxJunitBytes }) => {
      const junit = join(dir, `${target}.xml`);
      const html = join(dir, `${target}.html`);
      const r = await sixgate([
        'run',
        '--provider',
        'docker',
        '--mode',
        'dual-stack',
        '--target',
        target,
        ...cells,
        '--junit',
        junit,
        '--html',
        html,
      ]);
      pids.push(r.pid);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/Unhandled|Invalid string length|heap out of memory/);

      const report = readJunit(junit);
      const errors = report.cases.filter((c) => c.status === 'error');
      expect(errors.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
      const failed = report.cases.filter((c) => c.status === 'failed').map((c) => c.id);
      expect(failed.sort()).toEqual(failing().sort());

      expect(statSync(junit).size).toBeLessThan(maxJunitBytes);
      expect(readFileSync(junit, 'utf8')).not.toMatch(RAW_CONTROL);
      expect(readFileSync(html, 'utf8')).not.toMatch(RAW_CONTROL);
      expect(r.stdout).not.toMatch(RAW_CONTROL);

      const left = await ownedBy(dockerClient(), r.pid);
      expect(left).toMatchObject({ containers: [], networks: [] });
    },
    600_000,
  );
});
