// One self-contained JS file per program, so the image needs no node_modules. A checkout bundles
// each program's source when the image digest is computed; scripts/build.mjs calls
// `writeProgramBundles` to make the same bytes ahead of time for the package, which has no sources.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import { ImageBuildError } from './errors.ts';
import { availablePrograms } from './programs.ts';

/** ESM output, with `require` restored for bundled CommonJS dependencies that call it. */
const BANNER =
  "import { createRequire as __sixgateRequire } from 'node:module'; const require = __sixgateRequire(import.meta.url);";

/**
 * esbuild writes each module's path as a comment, relative to its working directory: anchored at
 * the checkout's root, two checkouts of the same sources in different folders make the same
 * bytes, so the same image tag, and share the image.
 */
const ROOT = PACKAGE_ROOT;

/**
 * The bundle, and the absolute paths of every file that went into it (for the digest cache). A
 * prebuilt `.mjs` entry is the bundle already.
 */
export async function bundle(entry: string): Promise<{ content: Buffer; inputs: string[] }> {
  try {
    if (entry.endsWith('.mjs')) return { content: await readFile(entry), inputs: [entry] };
    // Loaded only here: an installed package bundles nothing at run time and has no esbuild.
    const { build } = await import('esbuild');
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

/** Writes every available program's bundle to `dir` as `<name>.mjs`, each replaced atomically. */
export async function writeProgramBundles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const programs = availablePrograms();
  await Promise.all(
    programs.map(async (p) => {
      const { content } = await bundle(p.entry);
      const file = join(dir, `${p.name}.mjs`);
      await writeFile(`${file}.${process.pid}`, content);
      await rename(`${file}.${process.pid}`, file);
    }),
  );
  return programs.map((p) => p.name);
}
