// A registry of what a run created; undoing runs in reverse order and keeps going past
// failures, so one stuck container does not leave the rest behind.
export class Teardown {
  private steps: Array<{ what: string; undo: () => Promise<void> }> = [];
  private running: Promise<Error[]> | undefined;

  add(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  /** Idempotent: a second call (signal during teardown) waits for the first. */
  run(): Promise<Error[]> {
    this.running ??= (async () => {
      const errors: Error[] = [];
      for (const step of this.steps.reverse()) {
        try {
          await step.undo();
        } catch (err) {
          errors.push(
            new Error(`teardown: ${step.what}: ${(err as Error).message}`, { cause: err }),
          );
        }
      }
      this.steps = [];
      return errors;
    })();
    return this.running;
  }
}
