// Reads a vendor's profile, bounded and without blocking, and validates every field; a bad one is
// a ConfigError naming the file, the field path and the rule (exit 2, before anything starts).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from '../errors/index.ts';
import { programs } from '../images/programs.ts';
import { IMAGE_REFERENCE_RULE, imageReferenceProblem } from './image-reference.ts';
import type { Profile, ProfileAgent, ProfileEngine } from './profile.ts';
import type { AgentPaths } from '../providers/contract.ts';

type Json = Record<string, unknown>;

/** A profile larger than this is refused unread. */
export const PROFILE_MAX_BYTES = 1 << 20;

export const PROFILE_HINT = 'see README: Certifying your own agent or engine';

// One Docker repository name component, so `sixgate-profile/<name>-agent` is a valid build tag.
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const NAME_MAX = 63;

class Checker {
  constructor(readonly file: string) {}

  fail(path: string, rule: string): never {
    throw new ConfigError(this.file, path, rule, { hint: PROFILE_HINT });
  }

  object(value: unknown, path: string, known: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'must be an object');
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.fail(`${path}.${key}`, `is not a known field (known: ${known.join(', ')})`);
      }
    }
    return value as Json;
  }

  string(value: unknown, path: string, pattern: RegExp, rule: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(path, 'must be a string');
    if (!pattern.test(value)) this.fail(path, rule);
    return value;
  }

  program(value: unknown, path: string, prefix: string): string | undefined {
    const known = Object.keys(programs).filter((p) => p.startsWith(prefix));
    const p = this.string(value, path, /^[a-z0-9-]+$/, `must be one of ${known.join(', ')}`);
    if (p !== undefined && !known.includes(p))
      this.fail(path, `must be one of ${known.join(', ')}`);
    return p;
  }

  oneOf(o: Json, path: string): void {
    const given = ['image', 'program', 'build'].filter((k) => o[k] !== undefined);
    if (given.length > 1)
      this.fail(path, `takes one of image, program, build; got ${given.join(' and ')}`);
  }
}

const BUILD = /^[^\0]+$/;
const ABSOLUTE = /^\/[^\0\s]*$/;

function pathsOf(c: Checker, value: unknown): Partial<AgentPaths> | undefined {
  if (value === undefined) return undefined;
  const o = c.object(value, 'agent.paths', ['conf', 'key', 'cert', 'ca']);
  const out: Partial<AgentPaths> = {};
  for (const k of ['conf', 'key', 'cert', 'ca'] as const) {
    const p = c.string(
      o[k],
      `agent.paths.${k}`,
      ABSOLUTE,
      'must be an absolute path without spaces',
    );
    if (p !== undefined) out[k] = p;
  }
  return out;
}

function imageOf(c: Checker, value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') c.fail(path, 'must be a string');
  const problem = imageReferenceProblem(value);
  if (problem) c.fail(path, `${IMAGE_REFERENCE_RULE}; '${value}' ${problem}`);
  return value;
}

/** What runs the agent or the engine: one of an image, a build context, a sixgate program. */
function artifactOf(c: Checker, o: Json, part: 'agent' | 'engine') {
  c.oneOf(o, part);
  return {
    image: imageOf(c, o.image, `${part}.image`),
    program: c.program(o.program, `${part}.program`, part),
    build: c.string(o.build, `${part}.build`, BUILD, 'must name a folder'),
  };
}

function agentOf(c: Checker, value: unknown): ProfileAgent {
  const o = c.object(value, 'agent', ['image', 'program', 'build', 'mutualTls', 'paths']);
  const artifact = artifactOf(c, o, 'agent');
  if (o.mutualTls !== undefined && typeof o.mutualTls !== 'boolean') {
    c.fail('agent.mutualTls', 'must be true or false');
  }
  return {
    ...artifact,
    mutualTls: o.mutualTls as boolean | undefined,
    paths: pathsOf(c, o.paths),
  };
}

function engineOf(c: Checker, value: unknown): ProfileEngine {
  const o = c.object(value, 'engine', ['image', 'program', 'build', 'port', 'apiBase']);
  const artifact = artifactOf(c, o, 'engine');
  const port = o.port;
  if (
    port !== undefined &&
    (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
  ) {
    c.fail('engine.port', 'must be a whole number from 1 to 65535');
  }
  return {
    ...artifact,
    port: port as number | undefined,
    apiBase: c.string(
      o.apiBase,
      'engine.apiBase',
      /^\/[A-Za-z0-9._~/-]*$/,
      'must be a path starting with /',
    ),
  };
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The profile's text. Opened without blocking (a FIFO with no writer would hang a plain open
 * or read) and checked to be a regular file before a bounded read: a symlink to /dev/zero,
 * a FIFO or a directory is refused at once.
 */
function readBounded(c: Checker, file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    c.fail('(file)', `cannot be read: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) c.fail('(file)', `must be a regular file; this is ${kindOf(st)}`);
    const tooLarge = `must be at most ${PROFILE_MAX_BYTES} bytes (1 MiB)`;
    if (st.size > PROFILE_MAX_BYTES) c.fail('(file)', `${tooLarge}; it has ${st.size}`);
    // One byte more than the limit tells a file that grew since fstat.
    const buf = Buffer.alloc(PROFILE_MAX_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > PROFILE_MAX_BYTES) c.fail('(file)', tooLarge);
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    c.fail('(file)', `cannot be read: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Reads and validates a profile; a ConfigError names the file, the path and the rule (exit 2). */
export function loadProfile(file: string): Profile {
  const c = new Checker(file);
  const text = readBounded(c, file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    c.fail('(file)', `cannot be read as JSON: ${(err as Error).message}`);
  }
  // `$schema` lets an editor check the profile against schemas/profile.schema.json; sixgate
  // validates here itself and ignores it.
  const o = c.object(raw, 'profile', ['$schema', 'name', 'agent', 'engine']);
  if (o.$schema !== undefined && typeof o.$schema !== 'string')
    c.fail('$schema', 'must be a string');
  if (o.name === undefined) c.fail('name', 'is required');
  const nameRule = `must be 1–${NAME_MAX} characters, a Docker repository name component (it names the images sixgate builds): a-z and 0-9, joined by one ".", one "_", "__" or dashes, starting and ending with a letter or digit`;
  const name = c.string(o.name, 'name', NAME, nameRule)!;
  if (name.length > NAME_MAX) c.fail('name', nameRule);
  return {
    name,
    ...(o.agent === undefined ? {} : { agent: agentOf(c, o.agent) }),
    ...(o.engine === undefined ? {} : { engine: engineOf(c, o.engine) }),
  };
}
