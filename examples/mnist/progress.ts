/**
 * The terminal progress bar of a job: step, loss, samples per second and the
 * time left, drawn by cli-progress. Off a terminal it prints a line every
 * ten seconds instead of redrawing. A phase after training (the experts'
 * combining) ends the bar and is printed once as its own line, so the last
 * step's line is not repeated while the phase runs.
 */
import cliProgress from 'cli-progress';
import type { Progress } from './job-context.js';

export class ProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  /** `stream` is where the bar draws; process.stderr unless a test reads it. */
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WritableStream = process.stderr,
  ) {
    const line =
      `${label} [{bar}] {value}/{total} steps | loss {loss} | ` + `{speed} samples/s | {left} left`;
    this.bar = new cliProgress.SingleBar({
      format: (options, params, payload) =>
        cliProgress.Format.Formatter({ ...options, format: line }, params, {
          ...payload,
          left: timeLeft(params.eta, options),
        }),
      barsize: 24,
      etaBuffer: 20,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      hideCursor: true,
      stream,
    });
  }

  update(progress: Progress): void {
    const payload = {
      loss: Number.isFinite(progress.loss) ? progress.loss.toFixed(3) : String(progress.loss),
      speed: Math.round(progress.samplesPerSecond),
    };
    if (!this.started) {
      this.bar.start(progress.totalSteps, progress.step, payload);
      this.started = true;
    } else {
      this.bar.update(progress.step, payload);
    }
  }

  /** Ends the bar with its final line, then prints `description` once. */
  phase(description: string): void {
    this.stop();
    this.stream.write(`${this.label}: ${description}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/**
 * cli-progress's estimate as text, "--" until it is one: before a second
 * update it holds a placeholder (the string "0", or NULL and INF), which
 * the default format would show as "0s" left.
 */
function timeLeft(eta: unknown, options: cliProgress.Options): string {
  return typeof eta === 'number' && Number.isFinite(eta)
    ? cliProgress.Format.TimeFormat(eta, options, 5)
    : '--';
}
