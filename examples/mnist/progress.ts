/**
 * The terminal progress bar of a job: step, loss, samples per second and the
 * time left, drawn by cli-progress. Off a terminal it prints a line every
 * ten seconds instead of redrawing.
 */
import cliProgress from 'cli-progress';
import type { Progress } from './job-context.js';

export class ProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(private readonly label: string) {
    this.bar = new cliProgress.SingleBar({
      format:
        `${label} [{bar}] {value}/{total} steps | loss {loss} | ` +
        `{speed} samples/s | {eta_formatted} left`,
      barsize: 24,
      etaBuffer: 20,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      hideCursor: true,
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

  stop(): void {
    if (this.started) this.bar.stop();
  }
}
