// The machine-local copy of a kept run's record (what makes `run --on` skip reading it out of the
// peer container): believed only for the same run in the same peer container, only from a
// directory of this user's alone, never through a link or a FIFO; forgotten by `down`.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dropRecordCopy,
  readRecordCopy,
  saveRecordCopy,
  type RunRecord,
} from '../../harness/index.ts';

const PEER = 'a'.repeat(64);
const record = (runId: string): RunRecord => ({
  version: 1,
  runId,
  mode: 'dual-stack',
  facts: { kernel: 'test' },
  hosts: [],
  tls: { ca: 'CA', clientCert: 'CERT', clientKey: 'KEY' },
  dadAwaited: true,
});

describe('the local copy of a kept run record', () => {
  let runtime: string;
  let dir: string;
  const saved = process.env.XDG_RUNTIME_DIR;
  beforeEach(() => {
    runtime = mkdtempSync(join(tmpdir(), 'sixgate-record-copy-'));
    process.env.XDG_RUNTIME_DIR = runtime;
    dir = join(runtime, 'sixgate-runs');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
    rmSync(runtime, { recursive: true, force: true });
  });

  it('is read back for the same run and peer container, from a 0700 directory, file 0600', async () => {
    await saveRecordCopy(record('r1'), PEER);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'r1.json')).mode & 0o777).toBe(0o600);
    expect(await readRecordCopy('r1', PEER)).toEqual(record('r1'));
  });

  it('is not believed for another peer container (a run of the same id since), and is removed', async () => {
    await saveRecordCopy(record('r2'), PEER);
    expect(await readRecordCopy('r2', 'b'.repeat(64))).toBeUndefined();
    expect(existsSync(join(dir, 'r2.json'))).toBe(false);
  });

  it('is not read through a link planted in its place, nor from a FIFO', async () => {
    // A good copy moved aside and linked back: only the link stops it being believed.
    await saveRecordCopy(record('r3'), PEER);
    renameSync(join(dir, 'r3.json'), join(dir, 'aside'));
    symlinkSync(join(dir, 'aside'), join(dir, 'r3.json'));
    expect(await readRecordCopy('r3', PEER)).toBeUndefined();
    execFileSync('mkfifo', [join(dir, 'r4.json')]);
    expect(await readRecordCopy('r4', PEER)).toBeUndefined();
  });

  it('is neither written nor read where others may write (a directory that is not 0700)', async () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await saveRecordCopy(record('r5'), PEER);
    expect(existsSync(join(dir, 'r5.json'))).toBe(false);
    chmodSync(dir, 0o700);
    await saveRecordCopy(record('r5'), PEER);
    chmodSync(dir, 0o775);
    expect(await readRecordCopy('r5', PEER)).toBeUndefined();
  });

  it('is forgotten by down', async () => {
    await saveRecordCopy(record('r6'), PEER);
    await dropRecordCopy('r6');
    expect(await readRecordCopy('r6', PEER)).toBeUndefined();
    expect(existsSync(join(dir, 'r6.json'))).toBe(false);
  });
});
