// The engine's field rules. The reference engine applies the address model's strict rules to
// every field; a broken engine (fixtures/broken-engines) swaps one rule for a buggy one, which is
// how real engines go wrong: a hand-written regex in one field.
import { ENGINE_FIELDS, type EngineField, validate } from '../../address/index.ts';
import type { Verdict } from '../../address/contract.ts';
import { invalidField } from './fault.ts';

export type EngineRules = Record<EngineField, (input: string) => Verdict>;

export const referenceRules: EngineRules = Object.fromEntries(
  ENGINE_FIELDS.map((field) => [field, (input: string) => validate(field, input)]),
) as EngineRules;

/** Apply a rule to the value of an API field; a refusal names the API field and the rule. */
export function check(
  rules: EngineRules,
  rule: EngineField,
  apiField: string,
  input: string,
): Verdict {
  const verdict = rules[rule](input);
  if (!verdict.valid) throw invalidField(apiField, verdict.reason.code, verdict.reason.message);
  return verdict;
}

/** The family of a valid ip/gateway verdict's canonical text. */
export function familyOf(verdict: Verdict): 4 | 6 {
  return (verdict.canonical ?? verdict.input).includes(':') ? 6 : 4;
}
