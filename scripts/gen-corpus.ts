// Writes the generated half of fixtures/validation/*.json: every text form of every address
// class a person can type, crossed with every field. The expected verdicts come from the tables
// below (the RFCs' classes and forms, and the field rules of docs/address-rules.md), never from
// harness/address, so the corpus checks the address model instead of echoing it; Python's
// `ipaddress` checks the tables in turn (suites/validation/oracle.test.ts).
//
//   npx tsx scripts/gen-corpus.ts           rewrite the generated cases (hand cases are kept)
//   npx tsx scripts/gen-corpus.ts --check   exit 1 when the fixtures differ from what it writes
//
// Deterministic: no randomness, no clock; the same tables always write the same bytes. A
// generated case whose input a hand case already covers is dropped in the hand case's favour,
// after checking that both expect the same verdict.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Field =
  'ipv4' | 'ipv6' | 'ip' | 'host' | 'prefix' | 'netmask' | 'gateway' | 'storage' | 'endpoint';

interface Case {
  field: Field;
  input: string;
  valid: boolean;
  canonical?: string;
  zone?: string;
  host?: string;
  port?: number;
  path?: string;
  reason?: string;
  source: string;
}

const GENERATED = 'generated: ';
const DIR = fileURLToPath(new URL('../fixtures/validation/', import.meta.url));
const PORT = 54321;
const EXPORT = '/exports/data';

// ---------------------------------------------------------------------------------------------
// The address classes. `canonical` is written out by hand (RFC 5952; RFC 5952 §5 mixed notation
// for IPv4-mapped only) and checked against the groups below; `scoped` says whether a zone is
// accepted (link-local unicast, interface- and link-local multicast); `gateway` is the reason
// a gateway field refuses the class, if it does.

interface V6Class {
  name: string;
  ref: string;
  groups: number[];
  canonical: string;
  scoped: boolean;
  gateway?: string;
}

interface V4Class {
  name: string;
  ref: string;
  octets: [number, number, number, number];
  gateway?: string;
}

const V6: V6Class[] = [
  {
    name: 'unspecified',
    ref: 'RFC 4291 §2.5.2',
    groups: [0, 0, 0, 0, 0, 0, 0, 0],
    canonical: '::',
    scoped: false,
    gateway: 'GATEWAY_UNSPECIFIED',
  },
  {
    name: 'loopback',
    ref: 'RFC 4291 §2.5.3',
    groups: [0, 0, 0, 0, 0, 0, 0, 1],
    canonical: '::1',
    scoped: false,
    gateway: 'GATEWAY_LOOPBACK',
  },
  {
    name: 'IPv4-mapped',
    ref: 'RFC 4291 §2.5.5.2',
    groups: [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201],
    canonical: '::ffff:192.0.2.1',
    scoped: false,
    gateway: 'GATEWAY_IPV4_MAPPED',
  },
  {
    name: 'IPv4-compatible (deprecated)',
    ref: 'RFC 4291 §2.5.5.1',
    groups: [0, 0, 0, 0, 0, 0, 0xc000, 0x0201],
    canonical: '::c000:201',
    scoped: false,
  },
  {
    name: 'NAT64 well-known prefix',
    ref: 'RFC 6052 §2.1',
    groups: [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221],
    canonical: '64:ff9b::c000:221',
    scoped: false,
  },
  {
    name: 'link-local',
    ref: 'RFC 4291 §2.5.6',
    groups: [0xfe80, 0, 0, 0, 0x021a, 0x4bff, 0xfe9d, 0xf156],
    canonical: 'fe80::21a:4bff:fe9d:f156',
    scoped: true,
  },
  {
    name: 'unique local',
    ref: 'RFC 4193 §3.1',
    groups: [0xfd12, 0x3456, 0x789a, 0x0001, 0, 0, 0, 0x0001],
    canonical: 'fd12:3456:789a:1::1',
    scoped: false,
  },
  {
    name: 'global unicast',
    ref: 'RFC 4291 §2.5.4',
    groups: [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111],
    canonical: '2606:4700:4700::1111',
    scoped: false,
  },
  {
    name: 'interface-local multicast',
    ref: 'RFC 4291 §2.7 (scope 1)',
    groups: [0xff01, 0, 0, 0, 0, 0, 0, 0x0001],
    canonical: 'ff01::1',
    scoped: true,
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'link-local multicast (solicited-node)',
    ref: 'RFC 4291 §2.7.1 (scope 2)',
    groups: [0xff02, 0, 0, 0, 0, 0x0001, 0xff9d, 0xf156],
    canonical: 'ff02::1:ff9d:f156',
    scoped: true,
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'site-local multicast',
    ref: 'RFC 4291 §2.7 (scope 5)',
    groups: [0xff05, 0, 0, 0, 0, 0, 0x0001, 0x0003],
    canonical: 'ff05::1:3',
    scoped: false,
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'organization-local multicast',
    ref: 'RFC 4291 §2.7 (scope 8)',
    groups: [0xff08, 0, 0, 0, 0, 0, 0, 0x0101],
    canonical: 'ff08::101',
    scoped: false,
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'global multicast',
    ref: 'RFC 4291 §2.7 (scope e)',
    groups: [0xff0e, 0, 0, 0, 0, 0, 0, 0x0101],
    canonical: 'ff0e::101',
    scoped: false,
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'documentation',
    ref: 'RFC 3849',
    groups: [0x2001, 0x0db8, 0x85a3, 0, 0, 0x8a2e, 0x0370, 0x7334],
    canonical: '2001:db8:85a3::8a2e:370:7334',
    scoped: false,
  },
  {
    name: '6to4',
    ref: 'RFC 3056 §2',
    groups: [0x2002, 0xc000, 0x0204, 0, 0, 0, 0, 0x0001],
    canonical: '2002:c000:204::1',
    scoped: false,
  },
  {
    name: 'Teredo',
    ref: 'RFC 4380 §4',
    groups: [0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0x3fff, 0xfdd2],
    canonical: '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    scoped: false,
  },
  {
    name: 'site-local (deprecated)',
    ref: 'RFC 3879',
    groups: [0xfec0, 0, 0, 0x0001, 0, 0, 0, 0x0002],
    canonical: 'fec0:0:0:1::2',
    scoped: false,
  },
];

const V4: V4Class[] = [
  { name: 'IPv4 private 10/8', ref: 'RFC 1918 §3', octets: [10, 20, 30, 40] },
  { name: 'IPv4 private 172.16/12', ref: 'RFC 1918 §3', octets: [172, 16, 5, 4] },
  { name: 'IPv4 private 192.168/16', ref: 'RFC 1918 §3', octets: [192, 168, 1, 254] },
  { name: 'IPv4 shared address space', ref: 'RFC 6598', octets: [100, 64, 0, 1] },
  { name: 'IPv4 public', ref: 'RFC 6890 (no special purpose)', octets: [9, 9, 9, 9] },
  {
    name: 'IPv4 loopback',
    ref: 'RFC 1122 §3.2.1.3',
    octets: [127, 0, 0, 1],
    gateway: 'GATEWAY_LOOPBACK',
  },
  { name: 'IPv4 link-local', ref: 'RFC 3927 §2.1', octets: [169, 254, 10, 20] },
  {
    name: 'IPv4 limited broadcast',
    ref: 'RFC 919 §7',
    octets: [255, 255, 255, 255],
    gateway: 'GATEWAY_BROADCAST',
  },
  {
    name: 'IPv4 local multicast',
    ref: 'RFC 5771 §4',
    octets: [224, 0, 0, 251],
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'IPv4 administratively scoped multicast',
    ref: 'RFC 2365 §6',
    octets: [239, 255, 255, 250],
    gateway: 'GATEWAY_MULTICAST',
  },
  {
    name: 'IPv4 unspecified',
    ref: 'RFC 1122 §3.2.1.3',
    octets: [0, 0, 0, 0],
    gateway: 'GATEWAY_UNSPECIFIED',
  },
];

// ---------------------------------------------------------------------------------------------
// Text forms. Each returns undefined where the form does not apply to the address.

interface Form {
  key: string;
  ref: string;
  text: string;
}

const hex = (g: number) => g.toString(16);
const pad = (g: number) => g.toString(16).padStart(4, '0');

/** The longest run of two or more zero groups, the first on a tie (RFC 5952 §4.2.3). */
function longestZeroRun(groups: number[]): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i >= 2 && (!best || j - i > best[1])) best = [i, j - i];
    i = j;
  }
  return best;
}

/** Groups joined with `::` standing for `run`; `tail` is appended (a dotted IPv4 part). */
function join6(parts: string[], run: [number, number] | undefined, tail?: string): string {
  const all = tail === undefined ? parts : [...parts, tail];
  if (!run) return all.join(':');
  const head = all.slice(0, run[0]).join(':');
  const rest = all.slice(run[0] + run[1]).join(':');
  return `${head}::${rest}`;
}

const dotted = (g: number[]) => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;

function mixedCase(text: string): string {
  let upper = false;
  return [...text]
    .map((ch) => {
      if (!/[a-f]/.test(ch)) return ch;
      upper = !upper;
      return upper ? ch.toUpperCase() : ch;
    })
    .join('');
}

function v6Forms(c: V6Class): Form[] {
  const g = c.groups;
  const run = longestZeroRun(g);
  const compressed = join6(g.map(hex), run);
  const firstZero = g.indexOf(0);
  const head6 = g.slice(0, 6);
  const forms: Array<Form | undefined> = [
    { key: 'full', ref: 'RFC 4291 §2.2 form 1', text: g.map(hex).join(':') },
    {
      key: 'full-padded',
      ref: 'RFC 4291 §2.2 form 1 (leading zeros)',
      text: g.map(pad).join(':'),
    },
    { key: 'compressed', ref: 'RFC 4291 §2.2 form 2', text: compressed },
    {
      key: 'compressed-padded',
      ref: 'RFC 4291 §2.2 form 2 (leading zeros)',
      text: join6(g.map(pad), run),
    },
    firstZero < 0
      ? undefined
      : {
          key: 'one-zero-group',
          ref: 'RFC 4291 §2.2 form 2 (:: for the first zero group only)',
          text: join6(g.map(hex), [firstZero, 1]),
        },
    { key: 'upper', ref: 'RFC 4291 §2.2 (upper case)', text: compressed.toUpperCase() },
    { key: 'mixed-case', ref: 'RFC 4291 §2.2 (mixed case)', text: mixedCase(compressed) },
    {
      key: 'dotted',
      ref: 'RFC 4291 §2.2 form 3',
      text: join6(head6.map(hex), longestZeroRun(head6), dotted(g)),
    },
    {
      key: 'dotted-full',
      ref: 'RFC 4291 §2.2 form 3 (uncompressed)',
      text: `${head6.map(hex).join(':')}:${dotted(g)}`,
    },
  ];
  return forms.filter((f): f is Form => f !== undefined);
}

/**
 * The forms named by `keys`, in that order (all, in table order, when omitted), each text once:
 * the first form to give it wins.
 */
function forms6(c: V6Class, keys?: string[]): Form[] {
  const all = v6Forms(c);
  const picked = keys ? keys.flatMap((k) => all.filter((f) => f.key === k)) : all;
  const seen = new Set<string>();
  return picked.filter((f) => !seen.has(f.text) && seen.add(f.text));
}

/** How a generated case names its address class: `link-local (RFC 4291 §2.5.6)`. */
const cls = (c: { name: string; ref: string }) => `${c.name} (${c.ref})`;
const V4_ZONE = 'RFC 4007 §11 (zones are for IPv6)';
const DOTTED_REF = 'RFC 3986 §3.2.2 (dotted decimal)';

const compressedOf = (c: V6Class) => forms6(c, ['compressed'])[0]!;

const dottedQuad = (o: number[]) => o.join('.');

interface V4Form extends Form {
  /** Why a strict IPv4 field refuses it; undefined for the dotted quad. */
  reason?: string;
}

/** The dotted quad and the inet_aton spellings of the same address, which sixgate refuses. */
function v4Forms(c: V4Class): V4Form[] {
  const o = c.octets;
  const int = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const forms: V4Form[] = [
    { key: 'dotted', ref: DOTTED_REF, text: dottedQuad(o) },
    {
      key: 'leading-zeros',
      ref: 'RFC 6943 §3.1.1 (leading zeros read as octal)',
      text: o.map((n) => String(n).padStart(3, '0')).join('.'),
      reason: 'IPV4_LEADING_ZERO',
    },
    {
      key: 'hex',
      ref: 'RFC 6943 §3.1.1 (inet_aton hex parts)',
      text: o.map((n) => `0x${n.toString(16).padStart(2, '0')}`).join('.'),
      reason: 'IPV4_NOT_DECIMAL',
    },
    {
      key: 'two-part',
      ref: 'RFC 6943 §3.1.1 (inet_aton a.b shorthand)',
      text: `${o[0]}.${int & 0xffffff}`,
      reason: 'IPV4_PART_COUNT',
    },
    {
      key: 'integer',
      ref: 'RFC 6943 §3.1.1 (inet_aton 32-bit number)',
      text: String(int),
      reason: 'IPV4_PART_COUNT',
    },
  ];
  const seen = new Set<string>();
  return forms.filter((f) => !seen.has(f.text) && seen.add(f.text));
}

// ---------------------------------------------------------------------------------------------
// Zones and whitespace.

interface Zone {
  text: string;
  ref: string;
}

const ZONES: Zone[] = [
  { text: 'eth0', ref: 'RFC 4007 §11.2 (zone by interface name)' },
  { text: 'ovirtmgmt', ref: 'RFC 4007 §11.2 (zone by interface name)' },
  { text: 'ETH0', ref: 'RFC 4007 §11.2 (a zone name keeps its case)' },
  { text: 'br-lan.100', ref: 'RFC 4007 §11.2 (zone by interface name)' },
  { text: '3', ref: 'RFC 4007 §11.2 (zone by interface index)' },
  { text: '25eth0', ref: 'RFC 9844 §3 (%25 typed by a person is part of the zone)' },
  { text: '25', ref: 'RFC 9844 §3 (%25 typed by a person is interface index 25)' },
];
/** One zone by name, one by index: what other forms, and addresses that take none, get. */
const NAME_AND_INDEX = ZONES.filter((z) => z.text === 'eth0' || z.text === '3');
const REFUSED_ZONES: Array<Zone & { reason: string }> = [
  { text: '', ref: 'RFC 4007 §11 (an empty zone)', reason: 'ZONE_EMPTY' },
  { text: '0', ref: 'RFC 4007 §6 (index 0 is no zone)', reason: 'ZONE_BAD_INDEX' },
  { text: '007', ref: 'RFC 4007 §11.2 (an index has no leading zeros)', reason: 'ZONE_BAD_INDEX' },
];

interface Space {
  wrap: (s: string) => string;
  ref: string;
}

const SPACES: Space[] = [
  { wrap: (s) => ` ${s}`, ref: 'leading space' },
  { wrap: (s) => `${s} `, ref: 'trailing space' },
  { wrap: (s) => `\t${s}\n`, ref: 'tab and newline around' },
];

// ---------------------------------------------------------------------------------------------
// The cases of each field. Every field but endpoint also goes through an engine's real API once
// per `sixgate run`, a few milliseconds a case, so the full cross of forms × classes is kept
// where it is the point: the ipv6 field and the endpoint grammar (which no engine has). The other
// fields get a covering design: every class in its canonical spelling, every form of the
// representative classes (one of each zero-run shape), every zone on every scoped class, and
// the inet_aton spellings of the representative IPv4 classes.

/** One class per zero-run shape: all zeros, a leading run, mixed notation, a middle run, one zero group. */
const REPRESENTATIVES = new Set([
  'unspecified',
  'loopback',
  'IPv4-mapped',
  'link-local',
  'Teredo',
  'IPv4 private 192.168/16',
  'IPv4 loopback',
]);
const isRep = (c: { name: string }) => REPRESENTATIVES.has(c.name);

type Expect = Omit<Case, 'field' | 'input' | 'source'>;
type Wrap = (text: string) => string;

class Cases {
  readonly list: Case[] = [];
  constructor(readonly field: Field) {}

  add(input: string, expect: Expect, ...refs: string[]): void {
    this.list.push({
      field: this.field,
      input,
      ...expect,
      source: `${GENERATED}${refs.join(' × ')} × field ${this.field}`,
    });
  }
}

const ok6 = (c: V6Class, zone?: string): Expect => ({
  valid: true,
  canonical: c.canonical,
  ...(zone === undefined ? {} : { zone }),
});
const ok4 = (c: V4Class): Expect => ({ valid: true, canonical: dottedQuad(c.octets) });
const bad = (reason: string): Expect => ({ valid: false, reason });

/** A zone's verdict on an address class, before any field rule. */
function zoned(c: V6Class, zone: string): Expect {
  return c.scoped ? ok6(c, zone) : bad('ZONE_ON_UNSCOPED');
}

/** How one field writes an address into its text, and what it makes of a valid one. */
interface Target {
  out: Cases;
  accept6: (c: V6Class, e: Expect) => Expect;
  accept4: (c: V4Class, e: Expect) => Expect;
  wrap6: Wrap;
  wrap4: Wrap;
  /** What the wrapping adds to the source, e.g. `RFC 3986 §3.2.2 (IPv6 literal in brackets)`. */
  refs6: string[];
  refs4: string[];
}

function target(out: Cases, t: Partial<Omit<Target, 'out'>> = {}): Target {
  return {
    out,
    accept6: t.accept6 ?? ((_c, e) => e),
    accept4: t.accept4 ?? ((_c, e) => e),
    wrap6: t.wrap6 ?? ((text) => text),
    wrap4: t.wrap4 ?? ((text) => text),
    refs6: t.refs6 ?? [],
    refs4: t.refs4 ?? [],
  };
}

/** The IPv6 forms named by `keys` of every class when `everyClass`, else of the representatives, and every class's canonical spelling. */
function v6Cases(t: Target, opts: { keys?: string[]; everyClass: boolean }): void {
  for (const c of V6) {
    const forms =
      opts.everyClass || isRep(c)
        ? forms6(c, opts.keys)
        : forms6(c).filter((f) => f.text === c.canonical);
    for (const f of forms) {
      t.out.add(t.wrap6(f.text), t.accept6(c, ok6(c)), f.ref, cls(c), ...t.refs6);
    }
  }
}

/**
 * Zones: every zone on the first of `forms` of each scoped class, one by name and one by index
 * on the others, `stray` on each unscoped class, and the refused empty and numeric zones when
 * `refused`.
 */
function zoneCases(t: Target, opts: { forms: string[]; stray: Zone[]; refused: boolean }): void {
  for (const c of V6) {
    forms6(c, opts.forms).forEach((f, i) => {
      const zones = c.scoped ? (i === 0 ? ZONES : NAME_AND_INDEX) : i === 0 ? opts.stray : [];
      for (const z of zones) {
        const e = t.accept6(c, zoned(c, z.text));
        t.out.add(t.wrap6(`${f.text}%${z.text}`), e, f.ref, cls(c), z.ref, ...t.refs6);
      }
      if (c.scoped && i === 0 && opts.refused) {
        for (const z of REFUSED_ZONES) {
          t.out.add(t.wrap6(`${f.text}%${z.text}`), bad(z.reason), f.ref, cls(c), z.ref);
        }
      }
    });
  }
}

/** Every class's dotted quad; its inet_aton spellings for every class or the representatives. */
function v4Cases(t: Target, opts: { inetAton: 'every class' | 'representatives' | 'none' }): void {
  for (const c of V4) {
    const spellings =
      opts.inetAton === 'every class' || (opts.inetAton === 'representatives' && isRep(c));
    for (const f of v4Forms(c)) {
      if (f.reason && !spellings) continue;
      const e = f.reason ? bad(f.reason) : t.accept4(c, ok4(c));
      t.out.add(t.wrap4(f.text), e, f.ref, cls(c), ...t.refs4);
    }
  }
}

/** `a.b.c.d%eth0` for the representative IPv4 classes. */
function v4ZoneCases(t: Target): void {
  for (const c of V4.filter(isRep)) {
    t.out.add(t.wrap4(`${dottedQuad(c.octets)}%eth0`), bad('ZONE_ON_IPV4'), V4_ZONE, cls(c));
  }
}

/**
 * Whitespace around the representatives' canonical text (and a zoned link-local one): valid
 * where the field trims, `WHITESPACE` elsewhere.
 */
function spaceCases(t: Target, opts: { spaces: Space[]; trims: boolean }): void {
  for (const s of opts.spaces) {
    for (const c of V6.filter(isRep)) {
      const e = opts.trims ? t.accept6(c, ok6(c)) : bad('WHITESPACE');
      t.out.add(s.wrap(t.wrap6(c.canonical)), e, cls(c), s.ref);
      if (c.scoped) {
        const z = opts.trims ? t.accept6(c, ok6(c, 'eth0')) : bad('WHITESPACE');
        t.out.add(s.wrap(t.wrap6(`${c.canonical}%eth0`)), z, cls(c), ZONES[0]!.ref, s.ref);
      }
    }
    for (const c of V4.filter(isRep)) {
      const e = opts.trims ? t.accept4(c, ok4(c)) : bad('WHITESPACE');
      t.out.add(s.wrap(t.wrap4(dottedQuad(c.octets))), e, DOTTED_REF, cls(c), s.ref);
    }
  }
}

const wrongFamily = (_c: unknown, e: Expect): Expect => (e.valid ? bad('WRONG_FAMILY') : e);
const withHost = (_c: unknown, e: Expect): Expect => (e.valid ? { ...e, host: e.canonical! } : e);
const gateway = <C extends { gateway?: string }>(c: C, e: Expect): Expect =>
  e.valid && c.gateway ? bad(c.gateway) : e;

/** The IPv6 text field: every form of every class, every zone. */
function ipv6(): Case[] {
  const t = target(new Cases('ipv6'), { accept4: wrongFamily });
  v6Cases(t, { everyClass: true });
  zoneCases(t, {
    forms: ['compressed', 'upper', 'full-padded'],
    stray: NAME_AND_INDEX,
    refused: true,
  });
  // Only the dotted quad: an inet_aton spelling is refused for its IPv6 reading here.
  v4Cases(t, { inetAton: 'none' });
  spaceCases(t, { spaces: SPACES.slice(0, 1), trims: false });
  return t.out.list;
}

function ipv4(): Case[] {
  const t = target(new Cases('ipv4'), { accept6: wrongFamily });
  v6Cases(t, { keys: ['compressed', 'dotted'], everyClass: false });
  v4Cases(t, { inetAton: 'every class' });
  v4ZoneCases(t);
  spaceCases(t, { spaces: SPACES.slice(0, 1), trims: false });
  return t.out.list;
}

function ip(): Case[] {
  const t = target(new Cases('ip'));
  v6Cases(t, { keys: ['full-padded', 'dotted'], everyClass: false });
  zoneCases(t, { forms: ['compressed'], stray: [], refused: false });
  v4Cases(t, { inetAton: 'representatives' });
  return t.out.list;
}

function host(): Case[] {
  const t = target(new Cases('host'), { accept6: withHost, accept4: withHost });
  v6Cases(t, { everyClass: false });
  zoneCases(t, {
    forms: ['compressed', 'upper', 'full-padded'],
    stray: ZONES.slice(0, 1),
    refused: true,
  });
  v4Cases(t, { inetAton: 'every class' });
  v4ZoneCases(t);
  spaceCases(t, { spaces: SPACES, trims: true });
  return t.out.list;
}

function gatewayCases(): Case[] {
  const t = target(new Cases('gateway'), { accept6: gateway, accept4: gateway });
  v6Cases(t, { keys: ['full', 'full-padded', 'compressed', 'upper', 'dotted'], everyClass: false });
  zoneCases(t, { forms: ['compressed'], stray: ZONES.slice(0, 1), refused: false });
  v4Cases(t, { inetAton: 'representatives' });
  v4ZoneCases(t);
  spaceCases(t, { spaces: SPACES.slice(0, 1), trims: false });
  return t.out.list;
}

/** A prefix length typed as an address: not a decimal number. */
function prefix(): Case[] {
  const out = new Cases('prefix');
  for (const c of V6) {
    const f = compressedOf(c);
    out.add(f.text, bad('PREFIX_NOT_DECIMAL'), f.ref, cls(c));
  }
  for (const c of V4) {
    out.add(dottedQuad(c.octets), bad('PREFIX_NOT_DECIMAL'), DOTTED_REF, cls(c));
  }
  return out.list;
}

const isMask = (o: number[]) => {
  const bits = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const inverted = ~bits >>> 0;
  return (inverted & (inverted + 1)) === 0;
};

function maskOfPrefix(n: number): string {
  const bits = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return dottedQuad([bits >>> 24, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255]);
}

/**
 * A netmask field given an address: a dotted quad is a mask only when contiguous; text without a
 * dot is a prefix length, so an IPv6 address is not a number and the 32-bit number 0 is /0.
 */
function netmask(): Case[] {
  const out = new Cases('netmask');
  for (const c of V6.filter(isRep)) {
    const f = compressedOf(c);
    out.add(f.text, bad('PREFIX_NOT_DECIMAL'), f.ref, cls(c));
  }
  for (const c of V4) {
    for (const f of v4Forms(c)) {
      if (f.reason && !isRep(c)) continue;
      let e: Expect;
      if (f.key === 'integer') {
        const n = Number(f.text);
        e = n <= 32 ? { valid: true, canonical: maskOfPrefix(n) } : bad('PREFIX_RANGE');
      } else if (f.reason) {
        e = bad(f.reason);
      } else {
        e = isMask(c.octets) ? { valid: true, canonical: f.text } : bad('NETMASK_NOT_CONTIGUOUS');
      }
      out.add(f.text, e, f.ref, cls(c));
    }
  }
  return out.list;
}

const BRACKETED = 'RFC 3986 §3.2.2 (IPv6 literal in brackets)';

function storage(): Case[] {
  const at = (_c: unknown, e: Expect): Expect =>
    e.valid ? { ...withHost(_c, e), path: EXPORT } : e;
  const t = target(new Cases('storage'), {
    accept6: at,
    accept4: at,
    wrap6: (text) => `[${text}]:${EXPORT}`,
    wrap4: (text) => `${text}:${EXPORT}`,
    refs6: [BRACKETED],
  });
  v6Cases(t, { keys: ['compressed', 'full-padded', 'upper', 'dotted'], everyClass: false });
  zoneCases(t, { forms: ['compressed'], stray: ZONES.slice(0, 1), refused: false });
  for (const c of V6) {
    const f = compressedOf(c);
    const why = 'host:/path without brackets';
    t.out.add(`${f.text}:${EXPORT}`, bad('STORAGE_UNBRACKETED_IPV6'), f.ref, cls(c), why);
  }
  v4Cases(t, { inetAton: 'representatives' });
  for (const c of V4.filter(isRep)) {
    t.out.add(`[${dottedQuad(c.octets)}]:${EXPORT}`, bad('WRONG_FAMILY'), BRACKETED, cls(c));
  }
  spaceCases(t, { spaces: SPACES.slice(0, 1), trims: false });
  return t.out.list;
}

/** The host-spec grammar: no engine has it, so it carries the full cross in every wrapping. */
function endpoint(): Case[] {
  const out = new Cases('endpoint');
  const spec =
    (port: number) =>
    (_c: unknown, e: Expect): Expect =>
      e.valid ? { ...withHost(_c, e), port } : e;
  const bare = target(out, {
    accept6: spec(PORT),
    accept4: spec(PORT),
    refs6: ['bare IPv6 literal (the whole text is the address)'],
  });
  const bracketed = target(out, {
    accept6: spec(PORT),
    wrap6: (text) => `[${text}]`,
    refs6: [BRACKETED],
  });
  const withPort = (port: number) =>
    target(out, {
      accept6: spec(port),
      accept4: spec(port),
      wrap6: (text) => `[${text}]:${port}`,
      wrap4: (text) => `${text}:${port}`,
      refs6: [BRACKETED, 'RFC 3986 §3.2.3 (port)'],
      refs4: ['RFC 3986 §3.2.3 (port)'],
    });
  v6Cases(bare, { everyClass: true });
  v6Cases(bracketed, { keys: ['compressed', 'full-padded', 'upper', 'dotted'], everyClass: true });
  v6Cases(withPort(8443), { everyClass: true });
  for (const t of [bare, withPort(PORT)]) {
    zoneCases(t, { forms: ['compressed', 'upper'], stray: NAME_AND_INDEX, refused: true });
  }
  v4Cases(bare, { inetAton: 'every class' });
  v4Cases(withPort(PORT), { inetAton: 'none' });
  v4ZoneCases(bare);
  for (const c of V4.filter(isRep)) {
    const input = `[${dottedQuad(c.octets)}]:${PORT}`;
    out.add(input, bad('SPEC_BRACKETED_NOT_IPV6'), BRACKETED, cls(c));
  }
  spaceCases(bracketed, { spaces: SPACES, trims: false });
  return out.list;
}

const GENERATORS: Record<Field, () => Case[]> = {
  ipv4,
  ipv6,
  ip,
  host,
  prefix,
  netmask,
  gateway: gatewayCases,
  storage,
  endpoint,
};

// ---------------------------------------------------------------------------------------------
// Writing the fixtures.

const KEYS = [
  'field',
  'input',
  'valid',
  'canonical',
  'zone',
  'host',
  'port',
  'path',
  'reason',
  'source',
] as const;

function ordered(c: Case): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (c[k] !== undefined) out[k] = c[k];
  return out;
}

/** What both a hand case and a generated one say about the same input must agree. */
function conflict(hand: Case, gen: Case): string | undefined {
  for (const k of ['valid', 'canonical', 'zone', 'host', 'port', 'path', 'reason'] as const) {
    if (hand[k] === undefined && k !== 'valid' && (k !== 'zone' || !hand.valid)) continue;
    if (k === 'reason' && gen.reason === undefined) continue;
    if (hand[k] !== gen[k]) return `${k}: hand ${String(hand[k])}, generated ${String(gen[k])}`;
  }
  return undefined;
}

/** The hand-written canonical forms against the groups (IPv4-mapped is written mixed). */
function selfCheck(): string[] {
  return V6.flatMap((c) => {
    const compressed = compressedOf(c).text;
    const mapped = c.groups.slice(0, 6).join(',') === '0,0,0,0,0,65535';
    return mapped || compressed === c.canonical
      ? []
      : [`class ${c.name}: canonical ${c.canonical}, but its groups compress to ${compressed}`];
  });
}

function main(): number {
  const check = process.argv.includes('--check');
  const problems = selfCheck();
  const counts: string[] = [];
  for (const name of readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const field = name.slice(0, -'.json'.length) as Field;
    const make = GENERATORS[field];
    if (!make) {
      problems.push(`${name}: no generator for field ${field}`);
      continue;
    }
    const file = join(DIR, name);
    const before = readFileSync(file, 'utf8');
    const hand = (JSON.parse(before) as Case[]).filter((c) => !c.source.startsWith(GENERATED));
    const handById = new Map(hand.map((c) => [c.input, c]));
    const seen = new Set<string>();
    const generated: Case[] = [];
    for (const c of make()) {
      if (seen.has(c.input)) continue;
      seen.add(c.input);
      const other = handById.get(c.input);
      if (other) {
        const why = conflict(other, c);
        if (why) problems.push(`${field}: ${JSON.stringify(c.input)}: ${why}`);
        continue;
      }
      generated.push(c);
    }
    const after = `${JSON.stringify([...hand, ...generated].map(ordered), null, 2)}\n`;
    counts.push(`${field}: ${hand.length} hand + ${generated.length} generated`);
    if (after === before) continue;
    if (check) problems.push(`${name} is not what scripts/gen-corpus.ts writes`);
    else writeFileSync(file, after);
  }
  if (problems.length > 0) {
    process.stderr.write(`gen-corpus: ${problems.join('\n  ')}\n`);
    return 1;
  }
  process.stdout.write(`${counts.join('\n')}\n`);
  return 0;
}

process.exitCode = main();
