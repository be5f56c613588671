// The reference engine's entry point (also what esbuild bundles into the engine image).
import { runEngineMain } from './run.ts';

runEngineMain();
