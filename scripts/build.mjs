#!/usr/bin/env node
// Builds dist/: the CLI compiled from harness/ by esbuild, and one bundle per image program
// (dist/programs/<name>.mjs) so an installed package builds its image with no TypeScript sources.
//
//   node scripts/build.mjs          the whole dist/ (npm's `prepare`: npm ci, npm pack)
//
// bin/sixgate.mjs imports `ensureFreshCli` from here in a checkout: sources change under
// developers and tests, so it compares dist/stamp.json with the CLI's inputs (a stat each) and
// recompiles the CLI in-process when any differs. Several processes may do that at once (vitest
// spawns sixgate in parallel): every file is written beside its target and renamed over it, chunks
// before the entry, so a reader sees one whole build or another, never half of one.
import { statSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, 'stamp.json');
const STAMP_VERSION = 1;
/**
 * A start-up rebuild removes chunks of earlier builds only when older than this: a process
 * started on one of them has loaded it by then. A full build (npm ci, npm pack) removes them all,
 * so a package holds exactly one build.
 */
const OLD_CHUNK_MS = 24 * 60 * 60 * 1000;

/**
 * Files besides the project's own modules whose change changes the output. npm rewrites
 * node_modules/.package-lock.json on every install, so it stands for the bundled dependencies:
 * one stat instead of hundreds.
 */
const EXTRA_INPUTS = [
  'scripts/build.mjs',
  'package.json',
  'tsconfig.json',
  'node_modules/.package-lock.json',
];

// sixgate reaches a runtime over unix:// or tcp:// only (DOCKER_HOST is checked before use) and
// builds with the classic builder, so docker-modem's ssh transport (ssh2) and dockerode's
// BuildKit session and progress (gRPC, protobuf) are never called; bundled, they were 1.6 MB
// every command parsed and ran at start (~150 ms of a `run --on`). Each becomes a module whose
// every export throws if it is ever used.
const NEVER_USED = ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];
const neverUsed = {
  name: 'sixgate-never-used',
  setup(build) {
    const names = NEVER_USED.map((n) => n.replace(/[/.@-]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({
      path: args.path,
      namespace: 'sixgate-never-used',
    }));
    build.onLoad({ filter: /.*/, namespace: 'sixgate-never-used' }, (args) => ({
      loader: 'js',
      contents: `const name = ${JSON.stringify(args.path)};
const unused = () => { throw new Error(name + ' is not part of sixgate: ssh:// runtimes and BuildKit sessions are not supported'); };
module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : unused) });`,
    }));
  },
};

// dist/ is flat (entries and chunks side by side) so harness/package-root.ts's one relative URL
// finds the package root from every compiled chunk. Commands stay lazily loaded: each dynamic
// import is a chunk of its own. `require`, `__filename` and `__dirname` are restored for bundled
// CommonJS that uses them (ssh2, under dockerode, reads `__dirname` as it loads).
const CLI_OPTIONS = {
  entryPoints: {
    cli: 'harness/cli.ts',
    // Not a command: what `writePrograms` below loads to bundle the programs with the harness's
    // own options, so the prebuilt bytes are the ones a checkout makes.
    'program-bundles': 'harness/images/bundle.ts',
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  // esbuild bundles programs from sources only in a checkout (it has a native binary per platform
  // and is a dev dependency); ssh2's optional native addon is never used by sixgate's Docker client.
  external: ['esbuild', 'cpu-features', '*.node'],
  plugins: [neverUsed],
  banner: {
    js: [
      "import { createRequire as __sixgateRequire } from 'node:module';",
      "import { fileURLToPath as __sixgatePath } from 'node:url';",
      "import { dirname as __sixgateDirname } from 'node:path';",
      'const require = __sixgateRequire(import.meta.url);',
      'const __filename = __sixgatePath(import.meta.url);',
      'const __dirname = __sixgateDirname(__filename);',
    ].join(' '),
  },
  absWorkingDir: ROOT,
  logLevel: 'warning',
  write: false,
  metafile: true,
};

// Synchronous: for the hundred-odd files of a start-up check, statSync costs less than promises.
function inputStamp(rel) {
  const s = statSync(join(ROOT, rel), { throwIfNoEntry: false });
  return s ? [rel, s.size, s.mtimeMs] : [rel, -1, -1];
}

async function writeAtomically(file, content) {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** Compiles the CLI into dist/ and records its inputs in dist/stamp.json. */
export async function buildCli({ keepOldChunksMs = OLD_CHUNK_MS } = {}) {
  const { build } = await import('esbuild');
  const result = await build(CLI_OPTIONS);
  await mkdir(DIST, { recursive: true });
  const outputs = result.outputFiles.map((f) => ({ file: f.path, contents: f.contents }));
  // Chunks first, entries last: an entry only ever names chunks that are already there.
  const isEntry = (f) => !/[/\\]chunk-[^/\\]+\.mjs$/.test(f);
  for (const o of [
    ...outputs.filter((o) => !isEntry(o.file)),
    ...outputs.filter((o) => isEntry(o.file)),
  ])
    await writeAtomically(o.file, o.contents);
  const own = Object.keys(result.metafile.inputs).filter((i) => !i.startsWith('node_modules/'));
  const inputs = [...new Set([...own, ...EXTRA_INPUTS])].sort();
  await writeAtomically(
    STAMP,
    JSON.stringify({ version: STAMP_VERSION, inputs: inputs.map(inputStamp) }),
  );
  await pruneOldChunks(new Set(outputs.map((o) => o.file)), keepOldChunksMs);
}

async function pruneOldChunks(current, keepMs) {
  const now = Date.now();
  for (const name of await readdir(DIST)) {
    const file = join(DIST, name);
    if (!name.startsWith('chunk-') || current.has(file)) continue;
    const s = await stat(file).catch(() => undefined);
    if (s && now - s.mtimeMs >= keepMs) await rm(file, { force: true });
  }
}

/** True when dist/stamp.json lists every input of the CLI with the size and mtime it has now. */
export async function cliIsFresh() {
  let rec;
  try {
    rec = JSON.parse(await readFile(STAMP, 'utf8'));
  } catch {
    return false;
  }
  if (rec?.version !== STAMP_VERSION || !Array.isArray(rec.inputs)) return false;
  return rec.inputs.every((was) => inputStamp(was[0]).join('\0') === was.join('\0'));
}

/** In a checkout: recompiles the CLI when a source changed since dist/ was built. */
export async function ensureFreshCli() {
  if (!(await cliIsFresh())) await buildCli();
}

/** Writes dist/programs/<name>.mjs with the harness's own bundler (needs the CLI built first). */
async function writePrograms() {
  const { writeProgramBundles } = await import(
    pathToFileURL(join(DIST, 'program-bundles.mjs')).href
  );
  return writeProgramBundles(join(DIST, 'programs'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const start = Date.now();
  await rm(join(DIST, 'programs'), { recursive: true, force: true });
  await buildCli({ keepOldChunksMs: 0 });
  const programs = await writePrograms();
  console.log(
    `sixgate build: ${relative(process.cwd(), DIST) || '.'}/ with the CLI and ${programs.length} programs in ${Date.now() - start} ms`,
  );
}
