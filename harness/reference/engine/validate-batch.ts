// POST /api/validate: many field checks in one request, for fields that have no single home in
// the API (`ip`) and for quick diagnosis. The real fields are exercised through dry runs.
import type { ValidateResponse } from '../../engine-client/api.ts';
import { isObject } from './body.ts';
import type { EngineContext, Request, Response } from './context.ts';
import { invalidField } from './fault.ts';
import { ENGINE_FIELDS, isEngineField } from '../../address/index.ts';

export const MAX_VALIDATE_ITEMS = 2000;

export async function validateRoute(
  ctx: EngineContext,
  req: Request,
): Promise<Response | undefined> {
  if (req.method !== 'POST' || req.segments.length !== 1) return undefined;
  const items = (await req.body()).items;
  if (!Array.isArray(items)) throw invalidField('items', 'WRONG_TYPE', 'items must be an array');
  if (items.length > MAX_VALIDATE_ITEMS) {
    throw invalidField('items', 'TOO_MANY', `items may hold at most ${MAX_VALIDATE_ITEMS} entries`);
  }
  const verdicts: ValidateResponse['verdicts'] = items.map((item: unknown, i) => {
    if (!isObject(item) || typeof item.input !== 'string') {
      throw invalidField(`items[${i}].input`, 'WRONG_TYPE', `items[${i}].input must be a string`);
    }
    const field = item.field;
    if (typeof field !== 'string' || !isEngineField(field)) {
      throw invalidField(
        `items[${i}].field`,
        'NOT_ONE_OF',
        `items[${i}].field must be one of ${ENGINE_FIELDS.join(', ')}`,
      );
    }
    const v = ctx.rules[field](item.input);
    return {
      field,
      input: item.input,
      valid: v.valid,
      code: v.reason.code,
      message: v.reason.message,
      ...(v.canonical === undefined ? {} : { canonical: v.canonical }),
      ...(v.zone === undefined ? {} : { zone: v.zone }),
    };
  });
  return { status: 200, body: { verdicts } satisfies ValidateResponse };
}
