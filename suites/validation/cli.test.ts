import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../harness/index.ts';

function capture(stdinChunks: string[] = []): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdin: Readable.from(stdinChunks),
    out: () => out,
    err: () => err,
  };
}

async function run(argv: string[], ...stdinChunks: string[]) {
  const io = capture(stdinChunks);
  const code = await main(['validate', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('sixgate validate', () => {
  it('exits 0 and prints the verdict for a valid value', async () => {
    const r = await run(['--field', 'endpoint', '[fe80::1%eth0]']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^valid endpoint/);
    expect(r.out).toContain('zone: eth0');
    expect(r.out).toContain('port: 54321');
  });

  it('exits 1 and names the reason for an invalid value', async () => {
    const r = await run(['--field', 'ipv4', '127.1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^invalid ipv4/);
    expect(r.out).toContain('IPV4_PART_COUNT');
  });

  it('prints one JSON object with the documented keys under --json', async () => {
    const r = await run(['--json', '--field', 'storage', '[FD00::5]:/exports/data']);
    expect(r.code).toBe(0);
    const verdict = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(verdict)).toEqual([
      'input',
      'field',
      'valid',
      'reason',
      'canonical',
      'host',
      'path',
    ]);
    expect(verdict).toMatchObject({
      input: '[FD00::5]:/exports/data',
      field: 'storage',
      valid: true,
      reason: { code: 'OK' },
      canonical: 'fd00::5',
      host: 'fd00::5',
      path: '/exports/data',
    });
  });

  it('takes a value that starts with a dash after --', async () => {
    const r = await run(['--json', '--field', 'prefix', '--', '-1']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      input: '-1',
      valid: false,
      reason: { code: 'PREFIX_NOT_DECIMAL' },
    });
  });

  it('reads one value per line under --stdin and prints one JSON line each', async () => {
    const r = await run(['--field', 'ip', '--stdin'], '::1\r\n127.1\n\nfe80::1%eth0');
    expect(r.code).toBe(1);
    const lines = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: string; valid: boolean });
    expect(lines.map((l) => [l.input, l.valid])).toEqual([
      ['::1', true],
      ['127.1', false],
      ['', false],
      ['fe80::1%eth0', true],
    ]);
  });

  it('exits 0 under --stdin when every line is valid', async () => {
    const r = await run(['--field', 'prefix', '--stdin'], '0\n64\n128\n');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('joins lines split across input chunks', async () => {
    const r = await run(['--field', 'endpoint', '--stdin'], '[fe80::1%e', 'th0]:80\n[::1', ']\n');
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { input: string }).input),
    ).toEqual(['[fe80::1%eth0]:80', '[::1]']);
  });

  it('answers a batch of 100,000 lines, one line each', async () => {
    const n = 100_000;
    const r = await run(
      ['--field', 'ipv6', '--stdin'],
      'fe80::1%eth0\n2001:db8::1\n'.repeat(n / 2),
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(n + 1);
  });

  it.each([
    [
      ['--field', 'mac', 'x'],
      /--field "mac".*allowed values: ipv4, ipv6, ip, host, prefix, netmask, gateway, storage, endpoint/,
    ],
    [['::1'], /missing --field/],
    [['--field', 'ipv6'], /missing the value/],
    [['--field', 'ipv6', 'a', 'b'], /exactly one value/],
    [['--field', 'ipv6', '--stdin', '::1'], /not both/],
    [['--field', 'ipv6', '--bogus', '::1'], /bogus/],
  ])('exits 2 on a usage error: %j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('runs through the real binary', async () => {
    const bin = fileURLToPath(new URL('../../bin/sixgate.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'validate',
      '--json',
      '--field',
      'endpoint',
      '::1',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ host: '::1', port: 54321, valid: true });
    const failed = await promisify(execFile)(process.execPath, [
      bin,
      'validate',
      '--field',
      'endpoint',
      '[::1]:0',
    ]).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('PORT_RANGE');
  });
});
