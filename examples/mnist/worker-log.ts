/**
 * What one worker writes to `<logdir>/<run>/worker-<rank>/`: its loss and
 * accuracy every step, and snapshots of the probe batch's activations and of
 * the weights through the tfjs adapter. Logging never stops training: a
 * failure is reported once on stderr and the step goes on.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { SummaryWriter } from '../../writer/index.js';
import { logActivations, logWeights, type ProbeBatch } from '../../writer/tfjs/index.js';

export class WorkerLog {
  readonly writer: SummaryWriter;
  /** Failure kinds already reported, so that a broken disk gives one line, not thousands. */
  private readonly reported = new Set<string>();

  constructor(
    logDir: string,
    readonly rank: number,
    worldSize: number,
    private readonly probes: ProbeBatch,
  ) {
    this.writer = new SummaryWriter(logDir, {
      workerRank: rank,
      worldSize,
      onError: (error) => this.report('writer', error),
    });
  }

  metrics(step: number, loss: number, accuracy: number): void {
    this.guard('metrics', () => {
      this.writer.scalar('batch/loss', loss, step);
      this.writer.scalar('batch/acc', accuracy, step);
    });
  }

  /** Activations of the probe batch and every weight, at `step`. */
  async snapshot(model: tfjs.LayersModel, step: number): Promise<void> {
    const options = {
      onError: (error: Error) => this.report('snapshot', error),
      onWarning: (message: string) => this.report(message, new Error(message)),
    };
    await logActivations(this.writer, model, this.probes, step, options).catch(options.onError);
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
    console.error(`worker ${this.rank}: logging ${kind} failed: ${error.message}`);
  }
}
