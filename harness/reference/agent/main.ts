// Entry of the reference agent: `main.ts [--root DIR]`. Bundled by esbuild into the agent image.
import { runAgent } from './agent.ts';

await runAgent(process.argv.slice(2));
