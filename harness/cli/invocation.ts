// How the user started sixgate, so a printed repro command can be pasted as it stands: `npx
// sixgate`, `sixgate` from PATH, or `node path/to/bin/sixgate.mjs`; arguments shell-quoted.
import { realpathSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';

/** POSIX shell quoting: bare when only safe characters, else single quotes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

let memo: string | undefined;

/** The command prefix that runs this sixgate again, as the user typed it. */
export function invocation(
  env: NodeJS.ProcessEnv = process.env,
  script = process.argv[1] ?? '',
): string {
  if (env === process.env && memo) return memo;
  let prefix: string;
  if (env.npm_command === 'exec') prefix = 'npx sixgate';
  else if (env.npm_command === 'run-script' && env.npm_lifecycle_event === 'sixgate')
    prefix = 'npm run sixgate --';
  else {
    const me = real(script);
    const onPath = (env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .some((dir) => me !== undefined && real(join(dir, 'sixgate')) === me);
    prefix = onPath ? 'sixgate' : `node ${shellQuote(relative(process.cwd(), script) || script)}`;
  }
  if (env === process.env) memo = prefix;
  return prefix;
}
