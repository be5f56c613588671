// Where sixgate's own files are, whether it runs from a checkout's TypeScript sources or from the
// compiled dist/ of an installed package: this file and every dist/*.mjs chunk it is compiled into
// sit one folder below the package root, so one relative URL serves both (scripts/build.mjs keeps
// dist/ flat for that reason). Code that needs a file of the package joins it to this root rather
// than resolving against its own import.meta.url, which would differ once bundled.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
