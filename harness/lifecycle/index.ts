export { RunOwner, interruptedBy, reraise, tracePhase, type RunOwnerOptions } from './owner.ts';
export { Teardown, raceAbort, TeardownError, type TeardownPhase } from './teardown.ts';
