// The reference engine: what a correct engine does (docs/engine-api.md). Suites start it, or a
// broken fixture built from its parts, as a host process through the launcher.
export { startLocalEngine, EngineStartError, REFERENCE_ENGINE_ENTRY } from './launcher.ts';
export type { LocalEngineOptions, StartedEngine } from './launcher.ts';
export { MAX_BODY_BYTES } from './body.ts';
