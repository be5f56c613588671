import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/index.ts';
import { programs } from '../images/programs.ts';
import type { Profile, ProfileAgent, ProfileEngine } from './profile.ts';
import type { AgentPaths } from '../providers/contract.ts';

type Json = Record<string, unknown>;

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
// A Docker reference as `docker images` shows it: repository[:tag] or an image id; no spaces.
const IMAGE = /^[a-z0-9][a-z0-9._/:@-]*$/i;

class Checker {
  constructor(readonly file: string) {}

  fail(path: string, rule: string): never {
    throw new ConfigError(this.file, path, rule, {
      hint: 'see harness/profile/profile.ts for the fields a profile takes',
    });
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

/** What runs the agent or the engine: one of an image, a build context, a sixgate program. */
function artifactOf(c: Checker, o: Json, part: 'agent' | 'engine') {
  c.oneOf(o, part);
  return {
    image: c.string(
      o.image,
      `${part}.image`,
      IMAGE,
      'must be a local image reference (repository[:tag])',
    ),
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

/** Reads and validates a profile; a ConfigError names the file, the path and the rule (exit 2). */
export function loadProfile(file: string): Profile {
  const c = new Checker(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    c.fail('(file)', `cannot be read as JSON: ${(err as Error).message}`);
  }
  const o = c.object(raw, 'profile', ['name', 'agent', 'engine']);
  if (o.name === undefined) c.fail('name', 'is required');
  const name = c.string(
    o.name,
    'name',
    NAME,
    'must be 1–63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit',
  )!;
  return {
    name,
    ...(o.agent === undefined ? {} : { agent: agentOf(c, o.agent) }),
    ...(o.engine === undefined ? {} : { engine: engineOf(c, o.engine) }),
  };
}
