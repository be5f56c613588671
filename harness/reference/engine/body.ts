// Reading and picking apart a JSON body. Every refusal names the JSON path of the value, so a
// wrong type or a garbage body ends as a 400 with a field, never as a thrown TypeError (a 500).
import type { IncomingMessage } from 'node:http';
import { EngineFault, invalidField } from './fault.ts';

/** Bodies are small JSON objects; anything larger is refused before it is buffered. */
export const MAX_BODY_BYTES = 64 * 1024;

export type JsonObject = Record<string, unknown>;

function tooLarge(): EngineFault {
  return new EngineFault(
    413,
    'BODY_TOO_LARGE',
    null,
    'Request body too large',
    `the body must be at most ${MAX_BODY_BYTES} bytes`,
  );
}

export async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw invalidField('body', 'BODY_EMPTY', 'a JSON object is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidField('body', 'BODY_NOT_JSON', `the body is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(value))
    throw invalidField('body', 'BODY_NOT_OBJECT', 'the body must be a JSON object');
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** A string member; absent and null both read as undefined. */
export function optionalString(obj: JsonObject, key: string, prefix = ''): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalidField(join(prefix, key), 'WRONG_TYPE', `${join(prefix, key)} must be a string`);
  }
  return value;
}

/** Present and a string; an empty string is left to the field's rule, which names it. */
export function requiredString(obj: JsonObject, key: string, prefix = ''): string {
  const value = optionalString(obj, key, prefix);
  if (value === undefined) {
    throw invalidField(join(prefix, key), 'REQUIRED', `${join(prefix, key)} is required`);
  }
  return value;
}

export function optionalObject(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidField(key, 'WRONG_TYPE', `${key} must be a JSON object`);
  return value;
}

/** One of a fixed set of strings; the detail lists them. */
export function oneOf<T extends string>(
  obj: JsonObject,
  key: string,
  allowed: readonly T[],
  prefix = '',
): T {
  const value = requiredString(obj, key, prefix);
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidField(
      join(prefix, key),
      'NOT_ONE_OF',
      `${join(prefix, key)} must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}
