import type { Field, Verdict } from './contract.ts';
import { validate } from './validate.ts';

export interface ValidationRequest {
  field: Field;
  input: string;
}

/**
 * Something that judges field values: the local address model now, an engine's HTTP API later.
 * Batched so a remote validator pays one round trip per corpus, not one per case. Verdicts come
 * back in request order.
 */
export interface Validator {
  name: string;
  validateMany(requests: readonly ValidationRequest[]): Promise<Verdict[]>;
}

export const localValidator: Validator = {
  name: 'local',
  validateMany: async (requests) => requests.map((r) => validate(r.field, r.input)),
};
