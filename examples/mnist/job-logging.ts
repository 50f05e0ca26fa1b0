/**
 * What the coordinator writes to `<logdir>/<run>/global/`: the job's
 * description, the combined model's test results, activations and weights,
 * how far each worker drifted from the average, what each worker trained on
 * and where its time went. Logging never stops the job: failures are reported
 * once on stderr.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { SummaryWriter, TensorRole } from '../../writer/index.js';
import { logActivations, logWeights, type ProbeBatch } from '../../writer/tfjs/index.js';

/** Seconds one worker spent in one step, split by where they went. */
export interface StepTiming {
  compute: number;
  communication: number;
  waiting: number;
}

export class GlobalLog {
  readonly writer: SummaryWriter;
  private readonly reported = new Set<string>();

  constructor(
    logDir: string,
    private readonly worldSize: number,
  ) {
    this.writer = new SummaryWriter(logDir, {
      worldSize,
      onError: (error) => this.report('writer', error),
    });
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
      this.writer.tensor('data/class_counts', counts.flat(), [counts.length, 10], step, {
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

  async snapshot(model: tfjs.LayersModel, probes: ProbeBatch, step: number): Promise<void> {
    const options = {
      onError: (error: Error) => this.report('snapshot', error),
      onWarning: (message: string) => this.report(message, new Error(message)),
    };
    await logActivations(this.writer, model, probes, step, options).catch(options.onError);
    await logWeights(this.writer, model, step, options).catch(options.onError);
  }

  async close(): Promise<void> {
    await this.writer.close().catch((error: Error) => this.report('close', error));
  }

  private guard(kind: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.report(kind, error as Error);
    }
  }

  private report(kind: string, error: Error): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    console.error(`coordinator: logging ${kind} failed: ${error.message}`);
  }
}
