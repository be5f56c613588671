export * from './agents.ts';
export type { Cell, CellContext, Expectation } from './cell.ts';
export { CELLS } from './cells.ts';
export type { CellResult, CellStatus } from './result.ts';
export { runMatrix, rolesOf, unrunCells, type MatrixOptions } from './run-matrix.ts';
export { sameHost } from './check.ts';
export { TARGETS, targetByName } from './targets.ts';
export {
  runMatrixWithControl,
  blameEnvironment,
  runControl,
  controlProperties,
  type ControlOutcome,
} from './control.ts';
