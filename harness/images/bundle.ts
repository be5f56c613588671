// One self-contained JS file per program, so the image needs no node_modules.
import { join } from 'node:path';
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

/** The bundle, and the absolute paths of every file that went into it (for the digest cache). */
export async function bundle(entry: string): Promise<{ content: Buffer; inputs: string[] }> {
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
      // A checkout whose node_modules is a link must not name the link's target in the bundle.
      preserveSymlinks: true,
      banner: { js: BANNER },
      metafile: true,
    });
    return {
      content: Buffer.from(out.outputFiles[0]!.contents),
      inputs: Object.keys(out.metafile.inputs).map((i) => join(ROOT, i)),
    };
  } catch (err) {
    throw new ImageBuildError(`bundling ${entry} failed`, err);
  }
}
