// The address model: strict IPv4/IPv6 text rules, zones, host names, the host-spec grammar and
// the field validators. Rules are documented where they are decided, next to the code.
export * from './contract.ts';
export { AddressError } from './address-error.ts';
export type { ReasonCode } from './reason.ts';
export { parseIp, type ParsedIp } from './parse-ip.ts';
export { classify } from './classify.ts';
export { parseHostSpec, formatHostPort, formatUrlAuthority, connectHost } from './host-spec.ts';
export {
  validate,
  FIELDS,
  isField,
  ENGINE_FIELDS,
  isEngineField,
  type EngineField,
} from './validate.ts';
export {
  loadCorpus,
  expectedVerdict,
  CORPUS_DIR,
  type CorpusCase,
  type ExpectedVerdict,
} from './corpus.ts';
export { localValidator, type Validator, type ValidationRequest } from './validator.ts';
