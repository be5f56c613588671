// A registry of what a run creates, filled *before* each thing is created (so a half-made
// container is found by its name), undone phase by phase: probes let go, processes stopped,
// sidecars (in another container's namespace) removed, containers, then networks, then files. A failure is collected and the rest go on, so
// one stuck container does not leave others behind.
import { setMaxListeners } from 'node:events';
import { InterruptedError, SixgateError } from '../errors/index.ts';

export type TeardownPhase = 'detach' | 'process' | 'sidecar' | 'container' | 'network' | 'file';
const PHASES: TeardownPhase[] = ['detach', 'process', 'sidecar', 'container', 'network', 'file'];

/** How long teardown waits for a create request already sent to finish before undoing it. */
const INFLIGHT_WAIT_MS = 30_000;

export class TeardownError extends SixgateError {
  constructor(what: string, cause: unknown) {
    super('SIXGATE_TEARDOWN', `teardown: ${what}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      hint: "'sixgate ps' lists what is left; 'sixgate down RUN-ID' removes it",
    });
  }
}

/**
 * Resolves as `work` does, or rejects with the signal's reason as soon as it aborts; `work` is
 * left to settle on its own, its rejection observed (never unhandled).
 */
export function raceAbort<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export class Teardown {
  private steps: Array<{ what: string; phase: TeardownPhase; undo: () => Promise<void> }> = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private running: Promise<Error[]> | undefined;
  private readonly controller = new AbortController();

  constructor() {
    // Every start-up step of every host races this one signal at once: that is many listeners.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted (with an InterruptedError) when the run owner receives a signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopReason(): InterruptedError | undefined {
    return this.signal.aborted ? (this.signal.reason as InterruptedError) : undefined;
  }

  /** No more work may be registered; start-up steps racing `signal` give up. */
  stop(reason: InterruptedError): void {
    this.controller.abort(reason);
  }

  /** Throws the InterruptedError once stopped: a checkpoint between start-up steps. */
  check(): void {
    if (this.stopReason) throw this.stopReason;
  }

  /** `work`, or the InterruptedError as soon as the run is stopped. */
  race<T>(work: Promise<T>): Promise<T> {
    return raceAbort(this.signal, work);
  }

  /**
   * Registers how to undo something about to be made. Refused once teardown has begun, so a
   * start-up racing an interrupt cannot create what nobody would remove.
   */
  add(what: string, undo: () => Promise<void>, phase: TeardownPhase = 'container'): void {
    if (this.running || this.stopReason) {
      throw this.stopReason ?? new InterruptedError('SIGTERM');
    }
    this.steps.push({ what, phase, undo });
  }

  /** A request already on its way (a create): teardown waits for it before undoing. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    const forget = () => this.inflight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * A kept run: from now on teardown only lets go of this process's attachments (probes);
   * containers and networks outlive the process, for `sixgate down`.
   */
  retain(): void {
    this.steps = this.steps.filter((s) => s.phase === 'detach');
  }

  /** Idempotent: a second call (a signal during teardown) waits for the first. */
  run(): Promise<Error[]> {
    this.running ??= (async () => {
      const settled = Promise.allSettled([...this.inflight]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        settled,
        new Promise((r) => (timer = setTimeout(r, INFLIGHT_WAIT_MS).unref())),
      ]);
      clearTimeout(timer);
      const errors: Error[] = [];
      for (const phase of PHASES) {
        const now = this.steps.filter((s) => s.phase === phase).reverse();
        const undo = (s: (typeof now)[number]) =>
          s.undo().catch((err: unknown) => errors.push(new TeardownError(s.what, err)));
        // Docker 20.10 can leave a network with a stale endpoint when many containers on it are
        // force-removed at once (seen under load: "has active endpoints" with no container
        // attached); so containers and networks go one at a time, the rest in parallel — sidecars
        // too, which have no endpoint of their own (they share their host's namespace).
        if (phase === 'container' || phase === 'network') for (const s of now) await undo(s);
        else await Promise.all(now.map(undo));
      }
      this.steps = [];
      return errors;
    })();
    return this.running;
  }
}
