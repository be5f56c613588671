// The validation corpus through an engine's API: every case goes to the engine field it
// belongs to (corpus-routes.ts), all in flight at once over the client's pipelined pool.
import type { Field, Verdict } from '../address/contract.ts';
import { ENGINE_FIELDS, isEngineField } from '../address/index.ts';
import type { Validator, ValidationRequest } from '../address/validator.ts';
import { UsageError } from '../errors/index.ts';
import type { EngineClient } from './client.ts';
import { ROUTES, routeFor, type Reported } from './corpus-routes.ts';

/** A verdict read from the engine, with how it was obtained and what could be compared. */
export interface EngineVerdict extends Verdict {
  /** The request that carried the case, e.g. `POST hosts?dryRun=true address`. */
  via: string;
  /** Verdict keys the engine exposes for this field, besides `valid` and `reason`. */
  reports: ReadonlyArray<keyof Reported>;
  /** Set when the engine answered about something else (another field, a 5xx): not a verdict. */
  error?: string;
}

const BATCH = 2000;

async function viaDryRun(client: EngineClient, r: ValidationRequest): Promise<EngineVerdict> {
  const route = ROUTES[routeFor(r.field, r.input)!];
  const base = {
    ...r,
    via: `POST ${route.resource}?dryRun=true ${route.field}`,
    reports: route.reports,
  };
  const outcome = await client.dryRun(route.resource, route.body(r.input));
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
    const verdicts = await client.validate(requests.slice(i, i + BATCH));
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
  const results = new Array<EngineVerdict>(requests.length);
  const batched: number[] = [];
  const sent = requests.map(async (r, i) => {
    if (routeFor(r.field, r.input) === undefined) batched.push(i);
    else results[i] = await viaDryRun(client, r);
  });
  const fromBatch = await viaValidate(
    client,
    batched.map((i) => requests[i]!),
  );
  batched.forEach((i, j) => (results[i] = fromBatch[j]!));
  await Promise.all(sent);
  return results;
}

/** The corpus's Validator interface, over an engine's API. */
export function engineValidator(client: EngineClient, name = 'engine'): Validator {
  return { name, validateMany: (requests) => validateThroughEngine(client, requests) };
}
