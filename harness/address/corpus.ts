import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors/index.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { Field, Verdict } from './contract.ts';
import { FIELDS, isField } from './validate.ts';

/** One case of fixtures/validation/*.json: what a correct validator says about one input. */
export interface CorpusCase {
  /** `${field}: ${JSON.stringify(input)}`: stable, unique, the JUnit test name. */
  id: string;
  field: Field;
  input: string;
  valid: boolean;
  canonical?: string;
  zone?: string;
  host?: string;
  port?: number;
  path?: string;
  /** Expected reason code of an invalid case, when the case pins one. */
  reason?: string;
  /** Where the rule comes from: an RFC section, the seed's documented forms, a known bug. */
  source: string;
  /** The fixture file, for messages. */
  file: string;
}

export const CORPUS_DIR = join(PACKAGE_ROOT, 'fixtures', 'validation');

const STRING_KEYS = ['canonical', 'zone', 'host', 'path', 'reason'] as const;

function toCase(raw: unknown, file: string, at: string): CorpusCase {
  const bad = (rule: string): never => {
    throw new ConfigError(file, at, rule);
  };
  if (typeof raw !== 'object' || raw === null) return bad('must be an object');
  const c = raw as Record<string, unknown>;
  if (typeof c.field !== 'string' || !isField(c.field))
    bad(`.field must be one of ${FIELDS.join(', ')}`);
  if (typeof c.input !== 'string') bad('.input must be a string');
  if (typeof c.valid !== 'boolean') bad('.valid must be a boolean');
  if (typeof c.source !== 'string' || c.source.length === 0)
    bad('.source must name where the rule comes from');
  for (const key of STRING_KEYS) {
    if (c[key] !== undefined && typeof c[key] !== 'string') bad(`.${key} must be a string`);
  }
  if (c.port !== undefined && !Number.isInteger(c.port)) bad('.port must be an integer');
  if (c.valid === true && c.reason !== undefined) bad('.reason is for invalid cases only');
  const field = c.field as Field;
  const input = c.input as string;
  return {
    ...(c as Omit<CorpusCase, 'id' | 'file'>),
    id: `${field}: ${JSON.stringify(input)}`,
    file,
  };
}

/** Every case of the corpus, in file-name then file order; throws ConfigError on a bad case or a duplicate id. */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(data))
      throw new ConfigError(file, '(top level)', 'must be an array of cases');
    data.forEach((raw, index) => {
      const c = toCase(raw, file, `[${index}]`);
      const other = seen.get(c.id);
      if (other !== undefined)
        throw new ConfigError(file, `[${index}]`, `repeats case ${c.id} (also in ${other})`);
      seen.set(c.id, file);
      cases.push(c);
    });
  }
  return cases;
}

export type ExpectedVerdict = Omit<Partial<Verdict>, 'reason'> & { reason?: { code: string } };

/** The part of a verdict a case pins down, for `toMatchObject`. */
export function expectedVerdict(c: CorpusCase): ExpectedVerdict {
  const expected: ExpectedVerdict = { input: c.input, field: c.field, valid: c.valid };
  for (const key of ['canonical', 'zone', 'host', 'path'] as const)
    if (c[key] !== undefined) expected[key] = c[key];
  if (c.port !== undefined) expected.port = c.port;
  const code = c.valid ? 'OK' : c.reason;
  if (code !== undefined) expected.reason = { code };
  return expected;
}
