// The one owner of a process's run resources, across every mode and topology it starts: each
// topology registers its teardown here, one signal handler cancels start-up in flight and tears
// everything down, and only then does the process end by the signal it received.
import { setMaxListeners } from 'node:events';
import { InterruptedError } from '../errors/index.ts';
import { raceAbort, Teardown } from './teardown.ts';

/** After a signal, how long a command may take to write its reports before teardown is forced. */
const REPORT_GRACE_MS = 15_000;

const owners = new Set<RunOwner>();
let received: NodeJS.Signals | undefined;

function onSignal(signal: NodeJS.Signals): void {
  if (received) {
    process.stderr.write(`sixgate: ${signal} again; still tearing down, please wait\n`);
    return;
  }
  received = signal;
  process.stderr.write(`sixgate: ${signal}: stopping, tearing down what this run created\n`);
  const reporting = [...owners].some((o) => o.reports);
  for (const o of owners) o.interrupt(signal);
  // A command that reports (sixgate run) ends by itself and re-raises; anything else, or a
  // command that overruns its grace, is torn down here.
  const end = () => reraise(signal);
  const force = () => {
    // Every owner already let go (torn down): the command is writing its reports and re-raises
    // when done; cutting it short here would lose them.
    if (!owners.size) return;
    // Torn down here, the command's own path goes on to its reports (on a loaded machine the
    // cells' ending and the teardown alone were seen to take 19-25 s): it gets the grace again
    // to write them, and only a command that still has not ended is ended here.
    const later = reporting ? () => setTimeout(end, REPORT_GRACE_MS) : end;
    Promise.all([...owners].map((o) => o.teardownAll())).then(later, later);
  };
  if (reporting) setTimeout(force, REPORT_GRACE_MS).unref();
  else force();
}

function install(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function uninstall(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** The signal this process received, if any: the CLI re-raises it once its command is done. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

/** Ends the process by the signal it received, as it would have ended without our handler. */
export function reraise(signal: NodeJS.Signals): void {
  uninstall();
  // A dependency's exit hook (signal-exit, loaded by testcontainers' proper-lockfile) would
  // swallow the signal: our reports and teardown are done, nothing else may keep the process.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

export interface RunOwnerOptions {
  /**
   * True when the caller writes reports for an interrupted run and then disposes the owner
   * itself; otherwise a signal tears down at once.
   */
  reports?: boolean;
}

export class RunOwner implements AsyncDisposable {
  readonly reports: boolean;
  private readonly controller = new AbortController();
  private readonly scopes = new Set<Teardown>();
  private disposed: Promise<Error[]> | undefined;

  constructor(options: RunOwnerOptions = {}) {
    setMaxListeners(0, this.controller.signal);
    this.reports = options.reports ?? false;
    if (owners.size === 0) install();
    owners.add(this);
    if (received) this.interrupt(received);
  }

  /** Aborted with an InterruptedError when a signal arrives. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): InterruptedError | undefined {
    return this.signal.aborted ? (this.signal.reason as InterruptedError) : undefined;
  }

  interrupt(signal: NodeJS.Signals): void {
    const reason = new InterruptedError(signal);
    for (const s of this.scopes) s.stop(reason);
    this.controller.abort(reason);
  }

  /** A teardown registry for one topology; disposing the owner runs every one not yet run. */
  scope(): Teardown {
    const t = new Teardown();
    if (this.interrupted) t.stop(this.interrupted);
    this.scopes.add(t);
    return t;
  }

  /** Throws the InterruptedError once a signal has arrived: a checkpoint between start-up steps. */
  check(): void {
    if (this.interrupted) throw this.interrupted;
  }

  /** `work`, or the InterruptedError as soon as a signal arrives. */
  race<T>(work: Promise<T>): Promise<T> {
    return raceAbort(this.signal, work);
  }

  /** Runs every scope's teardown (in parallel: topologies share nothing); idempotent. */
  teardownAll(): Promise<Error[]> {
    this.disposed ??= Promise.all([...this.scopes].map((s) => s.run())).then((e) => e.flat());
    return this.disposed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      const errors = await this.teardownAll();
      for (const e of errors) process.stderr.write(`sixgate: ${e.message}\n`);
    } finally {
      owners.delete(this);
      if (owners.size === 0 && !received) uninstall();
    }
  }
}

/**
 * With SIXGATE_TRACE=1, a line on stderr as each phase of a run begins: how a person (or the
 * lifecycle tests) sees where a run is, and interrupts it at a chosen moment.
 */
export function tracePhase(phase: string, detail = ''): void {
  if (process.env.SIXGATE_TRACE)
    process.stderr.write(`sixgate: phase ${phase}${detail ? ` ${detail}` : ''}\n`);
}
