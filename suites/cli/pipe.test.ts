// sixgate read by a pipe that closes early (`sixgate matrix | head -2`): the output stops, the
// command ends as it would have, and no EPIPE stack reaches the user.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.ts';

function readFirstChunkThenClose(args: string[]) {
  return new Promise<{ code: number | null; first: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, first, stderr }));
  });
}

describe('a reader that goes away', () => {
  it.for([['matrix'], ['matrix', '--json']])('sixgate %s exits 0 without EPIPE', async (args) => {
    const r = await readFirstChunkThenClose(args);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
  });
});
