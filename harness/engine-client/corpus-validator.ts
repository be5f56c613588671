// The validation corpus through an engine's API: every case goes to the engine field it
// belongs to (corpus-routes.ts), a few in flight at a time over the client's pool. A request the
// engine fails (refused, reset, hung, garbage) fails the cases it carried, and only those; after
// MAX_FAULTS_IN_A_ROW connections refused, reset or left hanging, the rest is not sent, so a
// dead engine costs seconds, not the per-request limit once per case.
import type { Field, Verdict } from '../address/contract.ts';
import { ENGINE_FIELDS, isEngineField } from '../address/index.ts';
import type { Validator, ValidationRequest } from '../address/validator.ts';
import { UsageError } from '../errors/index.ts';
import { clip } from '../text/quote.ts';
import { isEngineFailure, type EngineClient } from './client.ts';
import { EngineTransportError, type EngineTransportFault } from './faults.ts';
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

/**
 * Requests in a row the engine did not answer at all (refused, reset, hung, unreachable, bad TLS)
 * after which the remaining cases are not sent. An engine hanging every request would otherwise
 * take the per-request limit for each of some 2000 cases: hours. An answer of any kind, even a
 * wrong or oversized one, counts as alive: those fail their own case and nothing else.
 */
export const MAX_FAULTS_IN_A_ROW = 5;
const SILENT: ReadonlySet<EngineTransportFault> = new Set([
  'refused',
  'reset',
  'timeout',
  'unreachable',
  'tls',
]);
/** Dry runs in flight: enough to keep the pool's connections busy, few enough to stop soon. */
const IN_FLIGHT = 8;
/** The longest value a case compares (a host name is at most 253 bytes), with room to see why. */
const REPORTED_MAX_BYTES = 1024;
const BATCH = 2000;

type Base = Omit<EngineVerdict, 'valid' | 'reason'>;

/** Counts the requests in a row the engine left unanswered; any answer resets the count. */
class Breaker {
  #inARow = 0;
  #last = '';

  /** Why a request is not sent, or undefined when it may go. */
  refusal(request: string): string | undefined {
    return this.#inARow < MAX_FAULTS_IN_A_ROW
      ? undefined
      : `${request}: not sent: the engine answered none of the ${this.#inARow} requests before it, the last: ${this.#last}`;
  }

  /** Settles one request; rethrows what is not the engine's failure (the harness broke). */
  async send<T>(work: () => Promise<T>): Promise<T | { failure: string }> {
    try {
      const out = await work();
      this.#inARow = 0;
      return out;
    } catch (err) {
      if (!isEngineFailure(err)) throw err;
      if (err instanceof EngineTransportError && SILENT.has(err.fault)) {
        this.#inARow++;
        this.#last = err.message;
      } else this.#inARow = 0;
      return { failure: err.message };
    }
  }
}

/** No verdict: the engine failed the request that carried the case, or the ones before it. */
function failed(base: Base, message: string): EngineVerdict {
  return { ...base, valid: false, reason: { code: 'ENGINE_FAILED', message }, error: message };
}

async function viaDryRun(
  client: EngineClient,
  r: ValidationRequest,
  breaker: Breaker,
): Promise<EngineVerdict> {
  const route = ROUTES[routeFor(r.field, r.input)!];
  const base = {
    ...r,
    via: `POST ${route.resource}?dryRun=true ${route.field}`,
    reports: route.reports,
  };
  const refused = breaker.refusal(`POST ${client.dryRunPath(route.resource)} to ${client.address}`);
  if (refused) return failed(base, refused);
  const outcome = await breaker.send(() => client.dryRun(route.resource, route.body(r.input)));
  if ('failure' in outcome) return failed(base, outcome.failure);
  if (outcome.accepted) {
    // Kept for every case, so each value the engine reports is cut to a size an address has.
    const reported = Object.entries(route.read(outcome.normalized)).map(([k, v]) => [
      k,
      typeof v === 'string' ? clip(v, REPORTED_MAX_BYTES) : v,
    ]);
    return {
      ...base,
      valid: true,
      reason: { code: 'OK', message: 'accepted' },
      ...Object.fromEntries(reported),
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
  breaker: Breaker,
): Promise<EngineVerdict[]> {
  const out: EngineVerdict[] = [];
  const via = 'POST /api/validate';
  for (let i = 0; i < requests.length; i += BATCH) {
    const batch = requests.slice(i, i + BATCH);
    const refused = breaker.refusal(`POST ${client.apiBase}/validate to ${client.address}`);
    const verdicts = refused
      ? { failure: refused }
      : await breaker.send(() => client.validate(batch));
    if ('failure' in verdicts) {
      out.push(...batch.map((r) => failed({ ...r, via, reports: [] }, verdicts.failure)));
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
        via,
        reports: ['canonical', 'zone'],
      });
    }
  }
  return out;
}

/** `work` over every item, `width` at a time, results in order. */
async function inTurn<T, R>(items: readonly T[], width: number, work: (t: T) => Promise<R>) {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
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
  const breaker = new Breaker();
  const single = requests.filter((r) => routeFor(r.field, r.input) !== undefined);
  const batched = requests.filter((r) => routeFor(r.field, r.input) === undefined);
  // Both run at once and are awaited together: neither can reject while nobody listens.
  const [fromSingle, fromBatch] = await Promise.all([
    inTurn(single, IN_FLIGHT, (r) => viaDryRun(client, r, breaker)),
    viaValidate(client, batched, breaker),
  ]);
  const answers = new Map<ValidationRequest, EngineVerdict>();
  single.forEach((r, i) => answers.set(r, fromSingle[i]!));
  batched.forEach((r, i) => answers.set(r, fromBatch[i]!));
  return requests.map((r) => answers.get(r)!);
}

/** The corpus's Validator interface, over an engine's API. */
export function engineValidator(client: EngineClient, name = 'engine'): Validator {
  return { name, validateMany: (requests) => validateThroughEngine(client, requests) };
}
