// One self-contained JS file per program, so the image needs no node_modules.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ImageBuildError } from './errors.ts';

/** ESM output, with `require` restored for bundled CommonJS dependencies that call it. */
const BANNER =
  "import { createRequire as __sixgateRequire } from 'node:module'; const require = __sixgateRequire(import.meta.url);";

/**
 * esbuild writes each module's path as a comment, relative to its working directory: anchored at
 * the checkout's root, two checkouts of the same sources in different folders make the same
 * bytes, so the same image tag, and share the image.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function bundle(entry: string): Promise<Buffer> {
  try {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      absWorkingDir: ROOT,
      banner: { js: BANNER },
    });
    return Buffer.from(out.outputFiles[0]!.contents);
  } catch (err) {
    throw new ImageBuildError(`bundling ${entry} failed`, err);
  }
}
