// The validation corpus through an engine's API: every case goes to the engine field it
// belongs to (corpus-routes.ts), all in flight at once over the client's pool. A request the
// engine fails (refused, reset, hung, garbage) fails the cases it carried, and only those.
import type { Field, Verdict } from '../address/contract.ts';
import { ENGINE_FIELDS, isEngineField } from '../address/index.ts';
import type { Validator, ValidationRequest } from '../address/validator.ts';
import { UsageError } from '../errors/index.ts';
import { isEngineFailure, type EngineClient } from './client.ts';
import { ROUTES, routeFor, type Reported } from './corpus-routes.ts';

/** A verdict read from the engine, with how it was obtained and what could be compared. */
export interface EngineVerdict extends Verdict {
  /** The request that carried the case, e.g. `POST hosts?dryRun=true address`. */
  via: string;
  /** Verdict keys the engine exposes for this field, besides `valid` and `reason`. */
  reports: ReadonlyArray<keyof Reported>;
  /**
   * Set when the engine gave no verdict: it answered about something else (another field, a
   * 5xx) or failed the request itself (refused, reset, timed out, garbage, too large).
   */
  error?: string;
}

type Base = Omit<EngineVerdict, 'valid' | 'reason'>;

/** No verdict: the engine failed the request that carried the case. */
function failed(base: Base, err: unknown): EngineVerdict {
  if (!isEngineFailure(err)) throw err;
  return {
    ...base,
    valid: false,
    reason: { code: 'ENGINE_FAILED', message: err.message },
    error: err.message,
  };
}

const BATCH = 2000;

async function viaDryRun(client: EngineClient, r: ValidationRequest): Promise<EngineVerdict> {
  const route = ROUTES[routeFor(r.field, r.input)!];
  const base = {
    ...r,
    via: `POST ${route.resource}?dryRun=true ${route.field}`,
    reports: route.reports,
  };
  let outcome;
  try {
    outcome = await client.dryRun(route.resource, route.body(r.input));
  } catch (err) {
    return failed(base, err);
  }
  if (outcome.accepted) {
    return {
      ...base,
      valid: true,
      reason: { code: 'OK', message: 'accepted' },
      ...route.read(outcome.normalized),
    };
  }
  if (outcome.status === 400 && outcome.fault?.field === route.field) {
    return {
      ...base,
      valid: false,
      reason: { code: outcome.fault.code, message: outcome.fault.detail },
    };
  }
  const said = outcome.fault
    ? `${outcome.fault.field ?? 'no field'}: ${outcome.fault.detail}`
    : 'no fault body';
  const error = `answered ${outcome.status} about ${said}`;
  return { ...base, valid: false, reason: { code: 'ENGINE_OFF_FIELD', message: error }, error };
}

async function viaValidate(
  client: EngineClient,
  requests: ValidationRequest[],
): Promise<EngineVerdict[]> {
  const out: EngineVerdict[] = [];
  for (let i = 0; i < requests.length; i += BATCH) {
    const batch = requests.slice(i, i + BATCH);
    let verdicts;
    try {
      verdicts = await client.validate(batch);
    } catch (err) {
      out.push(...batch.map((r) => failed({ ...r, via: 'POST /api/validate', reports: [] }, err)));
      continue;
    }
    for (const v of verdicts) {
      out.push({
        input: v.input,
        field: v.field as Field,
        valid: v.valid,
        reason: { code: v.code, message: v.message },
        ...(v.canonical === undefined ? {} : { canonical: v.canonical }),
        ...(v.zone === undefined ? {} : { zone: v.zone }),
        via: 'POST /api/validate',
        reports: ['canonical', 'zone'],
      });
    }
  }
  return out;
}

/** One verdict per request, in order. Throws for a field no engine has (`endpoint`). */
export async function validateThroughEngine(
  client: EngineClient,
  requests: readonly ValidationRequest[],
): Promise<EngineVerdict[]> {
  const foreign = requests.find((r) => !isEngineField(r.field));
  if (foreign) {
    throw new UsageError(`field '${foreign.field}' is not an engine field`, {
      hint: `send only ${ENGINE_FIELDS.join(', ')}`,
    });
  }
  const batched = requests.filter((r) => routeFor(r.field, r.input) === undefined);
  // Every request is in flight before anything is awaited, and all are awaited together: none
  // can reject while nobody listens.
  const [single, fromBatch] = await Promise.all([
    Promise.all(
      requests.map((r) =>
        routeFor(r.field, r.input) === undefined ? undefined : viaDryRun(client, r),
      ),
    ),
    viaValidate(client, batched),
  ]);
  let next = 0;
  return single.map((v) => v ?? fromBatch[next++]!);
}

/** The corpus's Validator interface, over an engine's API. */
export function engineValidator(client: EngineClient, name = 'engine'): Validator {
  return { name, validateMany: (requests) => validateThroughEngine(client, requests) };
}
