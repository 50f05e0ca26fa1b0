/**
 * What one worker writes to `<logdir>/<run>/worker-<rank>/`: its loss and
 * accuracy every step, and snapshots of the probe batch's activations and of
 * the weights through the tfjs adapter.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ProbeBatch } from '../../writer/tfjs/index.js';
import { RunLog } from './run-log.js';

export class WorkerLog extends RunLog {
  constructor(
    logDir: string,
    readonly rank: number,
    worldSize: number,
    private readonly probes: ProbeBatch,
    outputClasses: readonly number[],
  ) {
    super(logDir, `worker ${rank}`, { workerRank: rank, worldSize }, outputClasses);
  }

  metrics(step: number, loss: number, accuracy: number): void {
    this.guard('metrics', () => {
      this.writer.scalar('batch/loss', loss, step);
      this.writer.scalar('batch/acc', accuracy, step);
    });
  }

  /** Activations of the probe batch and every weight, at `step`. */
  async snapshotModel(model: tfjs.LayersModel, step: number): Promise<void> {
    await this.snapshot(model, this.probes, step);
  }
}
