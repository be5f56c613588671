/**
 * Every error sixgate raises on purpose. `code` is stable (callers and tests match on it),
 * `hint` tells the user what to do next, `cause` keeps the low-level failure.
 */
export class SixgateError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** Exit code the CLI uses when this error ends a command. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; cause?: unknown; exitCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad input from the user: a flag, a profile field, a host spec. Exit code 2. */
export class UsageError extends SixgateError {
  constructor(message: string, options: { hint?: string; cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'SIXGATE_USAGE', message, { ...options, exitCode: 2 });
  }
}

/** A config file (profile) failed validation; the message names the file, the path and the rule. */
export class ConfigError extends SixgateError {
  constructor(file: string, path: string, rule: string, options: { hint?: string } = {}) {
    super('SIXGATE_BAD_CONFIG', `${file}: ${path} ${rule}`, { ...options, exitCode: 2 });
  }
}

export class NoDockerError extends SixgateError {
  /** `what`: the runtime that was looked for, when not Docker (`container runtime`, `Podman runtime`). */
  constructor(cause?: unknown, o: { what?: string; hint?: string } = {}) {
    // The cause is in the message: a report row carries the message, and "unreachable" alone
    // does not tell a refused socket from a daemon too slow to answer on a loaded machine.
    const why = cause instanceof Error ? `: ${cause.message.split('\n')[0]!.slice(0, 300)}` : '';
    super('SIXGATE_NO_DOCKER', `no ${o.what ?? 'Docker daemon'} is reachable${why}`, {
      cause,
      hint: o.hint ?? 'start dockerd (or set DOCKER_HOST), or run with --provider local',
      exitCode: 3,
    });
  }
}

export class NoIpv6Error extends SixgateError {
  constructor(what: string, cause?: unknown) {
    super('SIXGATE_NO_IPV6', `IPv6 is not available: ${what}`, {
      cause,
      hint: 'enable IPv6 in the kernel (sysctl net.ipv6.conf.all.disable_ipv6=0)',
      exitCode: 3,
    });
  }
}

/** A wait ran out of time; the message names what was awaited and the limit. */
export class SixgateTimeoutError extends SixgateError {
  constructor(what: string, timeoutMs: number, cause?: unknown) {
    super('SIXGATE_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`, { cause });
  }
}

/** Render an error for a person: message, cause chain, hint. */
export function describeError(err: unknown): string {
  const lines: string[] = [];
  let cur: unknown = err;
  let depth = 0;
  while (cur !== undefined && cur !== null && depth < 5) {
    if (cur instanceof Error) {
      const code = (cur as { code?: unknown }).code;
      lines.push(
        `${depth === 0 ? 'error' : 'caused by'}: ${cur.message}${typeof code === 'string' ? ` (${code})` : ''}`,
      );
      cur = cur.cause;
    } else {
      lines.push(`${depth === 0 ? 'error' : 'caused by'}: ${String(cur)}`);
      cur = undefined;
    }
    depth++;
  }
  if (err instanceof SixgateError && err.hint) lines.push(`hint: ${err.hint}`);
  return lines.join('\n');
}

/**
 * The run was interrupted by a signal. Exit code as a shell reports a process ended by it
 * (130 for SIGINT, 143 for SIGTERM), though the CLI ends by re-raising the signal itself.
 */
export class InterruptedError extends SixgateError {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super('SIXGATE_INTERRUPTED', `interrupted by ${signal}`, {
      hint: 'what finished is in the reports; the rest is marked interrupted',
      exitCode: 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1),
    });
    this.signal = signal;
  }
}
