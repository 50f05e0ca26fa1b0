/**
 * What the coordinator writes to `<logdir>/<run>/global/`: the job's
 * description, the combined model's test results, activations and weights,
 * how far each worker drifted from the average, what each worker trained on
 * and where its time went.
 */
import { TensorRole } from '../../writer/index.js';
import { CLASSES } from './dataset.js';
import { RunLog } from './run-log.js';

/** Seconds one worker spent in one step, split by where they went. */
export interface StepTiming {
  compute: number;
  communication: number;
  waiting: number;
}

export class GlobalLog extends RunLog {
  constructor(
    logDir: string,
    private readonly worldSize: number,
  ) {
    // The combined model always predicts every digit, unit i for digit i.
    const digits = Array.from({ length: CLASSES }, (_, digit) => digit);
    super(logDir, 'coordinator', { worldSize }, digits);
  }

  description(job: object): void {
    this.guard('description', () =>
      this.writer.text('job/description', JSON.stringify(job, null, 2), 0),
    );
  }

  testResults(step: number, accuracy: number, loss: number): void {
    this.guard('test results', () => {
      this.writer.scalar('test/accuracy', accuracy, step);
      this.writer.scalar('test/loss', loss, step);
    });
  }

  /** `byWorker[rank]` maps each layer to that worker's relative distance from the average. */
  divergence(step: number, byWorker: Map<string, number>[]): void {
    this.guard('divergence', () =>
      byWorker.forEach((layers, rank) => {
        for (const [layer, value] of layers) {
          this.writer.scalar(`divergence/worker-${rank}/${layer}`, value, step);
        }
      }),
    );
  }

  /** `counts[rank][class]`: examples each worker has trained on so far. */
  classCounts(step: number, counts: number[][]): void {
    this.guard('class counts', () =>
      this.writer.tensor('data/class_counts', counts.flat(), [counts.length, CLASSES], step, {
        role: TensorRole.OTHER,
        worldSize: this.worldSize,
      }),
    );
  }

  timing(step: number, byWorker: StepTiming[]): void {
    this.guard('timing', () =>
      byWorker.forEach((timing, rank) => {
        for (const [part, seconds] of Object.entries(timing)) {
          this.writer.scalar(`timing/worker-${rank}/${part}`, seconds, step);
        }
      }),
    );
  }
}
