// Progress while a run goes: on a terminal one live line (done / total, failures so far, the
// mode, elapsed time), elsewhere (CI logs) one line per cell as it finishes. Colour only on a
// terminal, never with NO_COLOR, always with FORCE_COLOR.
import type { CellResult } from '../matrix/result.ts';
import { escapeControls } from '../text/quote.ts';

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

const PAINT: Record<CellResult['status'], [string, string]> = {
  passed: ['pass ', '32'],
  failed: ['FAIL ', '31'],
  error: ['ERROR', '35'],
  skipped: ['skip ', '33'],
};

export function useColour(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

/** Redraws of the live line are at most this often: a 2000-result corpus is not 2000 redraws. */
const REDRAW_MS = 100;

export class Progress {
  private done = 0;
  private bad = 0;
  private mode = '';
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly colour: boolean;

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.colour = useColour(sink.isTTY, env);
  }

  /** Whether per-cell lines were printed as they finished (then the summary need not repeat them). */
  get printsCells(): boolean {
    return !this.sink.isTTY;
  }

  phase(mode: string): void {
    this.mode = mode;
    this.draw(true);
  }

  result(r: CellResult): void {
    this.done++;
    if (r.status === 'failed' || r.status === 'error') this.bad++;
    if (this.sink.isTTY) return this.draw(false);
    // A passing corpus case is one of hundreds: the summary counts them; the rest get a line.
    if (r.group && r.status === 'passed') return;
    const [mark, code] = PAINT[r.status];
    const text = this.colour ? `\x1b[${code}m${mark}\x1b[0m` : mark;
    this.sink.write(`${text} ${r.mode.padEnd(10)} ${escapeControls(r.id)} (${r.durationMs} ms)\n`);
  }

  /** Clears the live line before the summary takes over. */
  end(): void {
    if (this.sink.isTTY) this.sink.write('\r\x1b[2K');
  }

  private draw(force: boolean): void {
    if (!this.sink.isTTY) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < REDRAW_MS && this.done < this.total) return;
    this.lastDraw = now;
    const failed = this.bad
      ? `${this.colour ? '\x1b[31m' : ''}${this.bad} failed${this.colour ? '\x1b[0m' : ''}`
      : '0 failed';
    const secs = ((now - this.started) / 1000).toFixed(1);
    this.sink.write(
      `\r\x1b[2Ksixgate: ${this.done}/${this.total} done · ${failed} · ${this.mode || 'starting'} · ${secs} s`,
    );
  }
}

/**
 * A command's progress view as run hooks: the live line on a terminal (stderr, so stdout stays
 * the report's), a line per cell elsewhere. `end()` clears the line before the summary.
 */
export function progressView(io: {
  isTTY?: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}) {
  let progress: Progress | undefined;
  return {
    onPlan(total: number) {
      progress = new Progress(
        { isTTY: io.isTTY === true, write: (t) => (io.isTTY ? io.stderr(t) : io.stdout(t)) },
        total,
      );
    },
    onPhase: (mode: string) => progress?.phase(mode),
    onResult: (r: CellResult) => progress?.result(r),
    end: () => progress?.end(),
  };
}
