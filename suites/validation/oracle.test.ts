// The validation corpus against an independent oracle: Python's `ipaddress`
// (scripts/address-oracle.py, 3.13 semantics) judges every case of every field. Where sixgate's
// strict rules deliberately differ from Python, the difference is listed below with its reason
// and in docs/address-rules.md; any other disagreement fails the field's test.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELDS, loadCorpus, type CorpusCase, type Field } from '../../harness/index.ts';

const ORACLE = fileURLToPath(new URL('../../scripts/address-oracle.py', import.meta.url));
const RULES_DOC = fileURLToPath(new URL('../../docs/address-rules.md', import.meta.url));
const MAX_OUTPUT = 16 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

interface OracleVerdict {
  valid: boolean;
  canonical?: string;
  zone?: string;
  host?: string;
  port?: number;
  path?: string;
  error?: string;
  /** What the oracle noticed about the input; the differences below match on these. */
  tags: string[];
}

/** A documented case where sixgate refuses what Python accepts, and why. */
interface Difference {
  /** The anchor in docs/address-rules.md. */
  id: string;
  /** The oracle's tag for inputs this difference covers. */
  tag: string;
  /** The reason codes sixgate gives for them. */
  reasons: string[];
  fields?: Field[];
}

const DIFFERENCES: readonly Difference[] = [
  // A zone on a global, unique-local, loopback or IPv4-mapped address is ignored by the kernel.
  { id: 'zone-on-unscoped', tag: 'zone-on-unscoped', reasons: ['ZONE_ON_UNSCOPED'] },
  // Python takes any text after '%' without '%' or '/'; a zone must name a Linux interface.
  {
    id: 'zone-text',
    tag: 'zone-not-an-interface-name',
    reasons: ['ZONE_BAD_CHAR', 'ZONE_TOO_LONG', 'WHITESPACE', 'IPV6_BRACKETS'],
  },
  // All digits is an interface index: 1–4294967295, no leading zeros; 0 means no zone.
  { id: 'zone-index', tag: 'zone-not-an-index', reasons: ['ZONE_BAD_INDEX'] },
  // inet_aton reads a last label of 0x… hex as a number: judged as strict IPv4, not as a name.
  {
    id: 'hex-is-not-a-name',
    tag: 'inet-aton-hex-label',
    reasons: ['IPV4_PART_COUNT', 'IPV4_NOT_DECIMAL'],
    fields: ['host', 'storage', 'endpoint'],
  },
  // int() reads 064 as 64; a known validator accepted 00.
  {
    id: 'prefix-leading-zero',
    tag: 'prefix-leading-zero',
    reasons: ['PREFIX_LEADING_ZERO'],
    fields: ['prefix', 'netmask'],
  },
  // IPv4Network takes a hostmask (0.255.255.255) where a netmask goes, and inverts it.
  {
    id: 'netmask-hostmask',
    tag: 'hostmask',
    reasons: ['NETMASK_NOT_CONTIGUOUS'],
    fields: ['netmask'],
  },
  // is_unspecified is 0.0.0.0 only; all of 0.0.0.0/8 is "this network", never a next hop.
  {
    id: 'gateway-this-network',
    tag: 'this-network',
    reasons: ['GATEWAY_UNSPECIFIED'],
    fields: ['gateway'],
  },
  // urllib's port rule: empty is the default, 0 is a port, leading zeros are decimal.
  { id: 'port-empty', tag: 'port-empty', reasons: ['PORT_EMPTY'], fields: ['endpoint'] },
  {
    id: 'port-zero',
    tag: 'port-zero',
    reasons: ['PORT_RANGE', 'PORT_LEADING_ZERO'],
    fields: ['endpoint'],
  },
  {
    id: 'port-leading-zero',
    tag: 'port-leading-zero',
    reasons: ['PORT_LEADING_ZERO'],
    fields: ['endpoint'],
  },
];

type Pinned = Pick<CorpusCase, 'field' | 'input' | 'valid' | 'reason'> &
  Partial<Pick<CorpusCase, 'canonical' | 'zone' | 'host' | 'port' | 'path'>>;

/** Where the case and the oracle part ways, or undefined when they agree. */
function mismatch(c: Pinned, py: OracleVerdict): string | undefined {
  if (c.valid !== py.valid) {
    return c.valid
      ? `fixture: valid; Python: invalid (${py.error})`
      : `fixture: invalid (${c.reason ?? 'no reason pinned'}); Python: valid ${JSON.stringify(strip(py))}`;
  }
  if (!c.valid) return undefined;
  for (const key of ['canonical', 'zone', 'host', 'port', 'path'] as const) {
    // A valid case without a zone says there is none; other keys are compared when pinned.
    if (c[key] === undefined && key !== 'zone') continue;
    if (c[key] !== py[key])
      return `${key}: fixture ${JSON.stringify(c[key])}, Python ${JSON.stringify(py[key])}`;
  }
  return undefined;
}

function strip(py: OracleVerdict): Partial<OracleVerdict> {
  const { tags: _tags, valid: _valid, ...rest } = py;
  return rest;
}

/** The documented difference that explains a disagreement: sixgate refuses, Python accepts. */
function explained(c: Pinned, py: OracleVerdict): Difference | undefined {
  if (c.valid || !py.valid || c.reason === undefined) return undefined;
  return DIFFERENCES.find(
    (d) =>
      py.tags.includes(d.tag) &&
      d.reasons.includes(c.reason!) &&
      (d.fields === undefined || d.fields.includes(c.field)),
  );
}

/** Runs the oracle once over every case: JSON on stdin, never through a shell. */
function runOracle(cases: ReadonlyArray<Pick<CorpusCase, 'field' | 'input'>>) {
  return new Promise<{ python: string; verdicts: OracleVerdict[] }>((resolve, reject) => {
    const child = spawn('python3', [ORACLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 8192) err += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(
          new Error(
            `${ORACLE} ended with ${signal ?? `exit code ${code}`} (limits: ${TIMEOUT_MS} ms, ${MAX_OUTPUT} bytes): ${err}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
    });
    // A python3 that dies at once closes its stdin: the exit code above says why, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(cases.map((c) => ({ field: c.field, input: c.input }))));
  });
}

const cases = loadCorpus();

/** Fixtures that are wrong on purpose: the oracle must catch each of them. */
const WRONG: Pinned[] = [
  // A link-local address is scoped: no documented difference excuses refusing its zone.
  { field: 'ipv6', input: 'fe80::1%eth0', valid: false, reason: 'ZONE_ON_UNSCOPED' },
  { field: 'ipv6', input: '2001:DB8::1', valid: true, canonical: '2001:DB8::1' },
  // Python 3.13 writes an IPv4-mapped address in mixed notation (emulated on older ones).
  { field: 'ipv6', input: '::ffff:c000:201', valid: true, canonical: '::ffff:c000:201' },
  { field: 'ip', input: '1:2:3:4:5:6:7::8', valid: true, canonical: '1:2:3:4:5:6:7:8' },
  { field: 'host', input: ' Example.COM ', valid: true, host: 'Example.COM' },
  { field: 'gateway', input: '::ffff:192.0.2.1', valid: true, canonical: '::ffff:192.0.2.1' },
  { field: 'netmask', input: '255.255.255.0', valid: false, reason: 'NETMASK_NOT_CONTIGUOUS' },
  { field: 'endpoint', input: '[fe80::1%eth0]:8443', valid: true, zone: 'eth0', port: 54321 },
  { field: 'storage', input: '[fd00::5]:/x', valid: true, host: 'fd00::5', path: '/y' },
  // A documented difference excuses only the reasons it names.
  { field: 'prefix', input: '064', valid: false, reason: 'PREFIX_RANGE' },
];

const python = spawnSync('python3', ['--version'], { encoding: 'utf8', timeout: 10_000 });
const noPython =
  python.error && !process.env.CI
    ? `python3 is not installed (${python.error.message}); CI runs this oracle`
    : undefined;

describe.skipIf(noPython !== undefined)(
  `validation corpus against Python's ipaddress${noPython ? ` (skipped: ${noPython})` : ''}`,
  () => {
    let version = '';
    let verdicts: OracleVerdict[] = [];
    let wrongVerdicts: OracleVerdict[] = [];

    beforeAll(async () => {
      const all = await runOracle([...cases, ...WRONG]);
      version = all.python;
      verdicts = all.verdicts.slice(0, cases.length);
      wrongVerdicts = all.verdicts.slice(cases.length);
      expect(all.verdicts).toHaveLength(cases.length + WRONG.length);
    });

    for (const field of FIELDS) {
      it(`field ${field}: Python agrees, or the difference is documented`, async ({ annotate }) => {
        const problems: string[] = [];
        let agreed = 0;
        let documented = 0;
        cases.forEach((c, i) => {
          if (c.field !== field) return;
          const py = verdicts[i]!;
          const why = mismatch(c, py);
          if (why === undefined) {
            agreed++;
            return;
          }
          if (explained(c, py)) {
            documented++;
            return;
          }
          problems.push(`${c.id} (${c.source}): ${why}; tags ${JSON.stringify(py.tags)}`);
        });
        await annotate(`Python ${version}: ${agreed} agree, ${documented} documented differences`);
        expect(agreed + documented + problems.length).toBeGreaterThan(0);
        expect(problems).toEqual([]);
      });
    }

    it('catches fixtures that are wrong on purpose', () => {
      const caught = WRONG.filter((c, i) => {
        const py = wrongVerdicts[i]!;
        return mismatch(c, py) !== undefined && explained(c, py) === undefined;
      });
      expect(caught.map((c) => `${c.field}: ${c.input}`)).toEqual(
        WRONG.map((c) => `${c.field}: ${c.input}`),
      );
    });

    it('lists no difference that no case needs, and documents every one', () => {
      const used = new Set(
        cases.map((c, i) => explained(c, verdicts[i]!)?.id).filter((id) => id !== undefined),
      );
      expect(DIFFERENCES.filter((d) => !used.has(d.id)).map((d) => d.id)).toEqual([]);
      const doc = readFileSync(RULES_DOC, 'utf8');
      expect(DIFFERENCES.filter((d) => !doc.includes(`\`${d.id}\``)).map((d) => d.id)).toEqual([]);
    });
  },
);
