// SIGINT and SIGTERM at each phase of `sixgate run`: whatever the moment, the process ends by
// the signal, nothing it created is left on the daemon, and its JUnit is written with every
// planned cell (finished ones as they ended, the rest as interrupted errors).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';
import {
  ownedBy,
  readJunit,
  removeOwned,
  SMALL_CELLS,
  smallCellArgs,
  spawnSixgate,
} from '../support/lifecycle.ts';

const PHASES = [
  'image-check',
  'network-create',
  'container-create',
  'dad-wait',
  'cells',
  'teardown',
] as const;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Phases that begin before any cell runs: every planned cell is still owed. */
const BEFORE_CELLS = new Set(['image-check', 'network-create', 'container-create', 'dad-wait']);

const dir = mkdtempSync(join(tmpdir(), 'sixgate-interrupt-'));
const timings: string[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // Not an assertion: what each interrupt cost, for the note on the battery's time.
  if (timings.length)
    console.log(`phase            signal   to-phase  signal-to-exit\n${timings.join('\n')}`);
});

describe.skipIf(dockerReason)(dockerTitle('a signal at any phase of sixgate run'), () => {
  const docker = dockerClient();
  for (const phase of PHASES)
    for (const signal of SIGNALS)
      it(`${signal} at ${phase}: ends by the signal, leaves nothing, reports every cell`, async () => {
        const junit = join(dir, `${phase}-${signal}.xml`);
        const html = join(dir, `${phase}-${signal}.html`);
        const start = Date.now();
        const run = spawnSixgate(
          [
            'run',
            '--provider',
            'docker',
            '--mode',
            'dual-stack',
            ...smallCellArgs(),
            '--junit',
            junit,
            '--html',
            html,
          ],
          { ...process.env, SIXGATE_TRACE: '1' },
        );
        try {
          try {
            await run.waitForLine(new RegExp(`^sixgate: phase ${phase} dual-stack$`), 120_000);
          } catch (err) {
            run.child.kill('SIGKILL');
            throw err;
          }
          const atPhase = Date.now();
          run.child.kill(signal);
          const ended = await run.exited;
          timings.push(
            `${phase.padEnd(16)} ${signal.padEnd(8)} ${String(atPhase - start).padStart(6)} ms ${String(Date.now() - atPhase).padStart(9)} ms`,
          );

          expect(ended, run.stderr()).toEqual({ code: null, signal });
          expect(await ownedBy(docker, run.pid)).toEqual({
            containers: [],
            networks: [],
            runIds: [],
          });

          expect(existsSync(html)).toBe(true);
          const report = readJunit(junit);
          expect(report.properties['run.interrupted']).toBe(signal);
          expect(report.cases.map((c) => `${c.mode} ${c.id}`).sort()).toEqual(
            SMALL_CELLS.map((id) => `dual-stack ${id}`).sort(),
          );
          const interrupted = {
            status: 'error',
            message: `interrupted by ${signal} before this cell finished`,
          };
          for (const c of report.cases) {
            const outcome = { status: c.status, message: c.message };
            if (BEFORE_CELLS.has(phase)) expect(outcome, c.id).toEqual(interrupted);
            // Teardown begins once every cell has its result.
            else if (phase === 'teardown') expect(c.status, c.id).toBe('passed');
            else if (c.status !== 'passed') expect(outcome, c.id).toEqual(interrupted);
          }
        } finally {
          await run.exited;
          await removeOwned(docker, [run.pid]);
        }
      }, 180_000);
});
