export type { EngineCell, EngineContext } from './engine-cell.ts';
export { ENGINE_CELLS } from './engine-cells.ts';
export { runEngineChecks, type EngineCheckOptions } from './run-engine-checks.ts';
