// The harness's client for an engine's REST API, and the corpus validator that drives it.
export * from './api.ts';
export { EngineClient, EngineFaultError, isFault } from './client.ts';
export type { DryRunOutcome, DryRunResource, EngineClientOptions, RawResponse } from './client.ts';
export { EngineConnectError } from './connector.ts';
export { engineClientFor } from './topology.ts';
export type { EngineAddress, EngineTls } from './connector.ts';
export { engineValidator, validateThroughEngine } from './corpus-validator.ts';
export type { EngineVerdict } from './corpus-validator.ts';
export { disagreement, expectedFromEngine } from './compare.ts';
