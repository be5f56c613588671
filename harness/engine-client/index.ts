// The harness's client for an engine's REST API, and the corpus validator that drives it.
export * from './api.ts';
export { EngineClient, EngineFaultError, isEngineFailure, isFault } from './client.ts';
export type { DryRunOutcome, DryRunResource, EngineClientOptions, RawResponse } from './client.ts';
export {
  displayAddress,
  ENGINE_REPLY_MAX_BYTES,
  ENGINE_REQUEST_TIMEOUT_MS,
  EngineConnectError,
  EngineTransportError,
} from './faults.ts';
export type { EngineTransportFault } from './faults.ts';
export { engineClientFor } from './topology.ts';
export type { EngineAddress, EngineTls } from './connector.ts';
export { engineValidator, MAX_FAULTS_IN_A_ROW, validateThroughEngine } from './corpus-validator.ts';
export type { EngineVerdict } from './corpus-validator.ts';
export { disagreement, expectedFromEngine } from './compare.ts';
export { routeFor } from './corpus-routes.ts';
