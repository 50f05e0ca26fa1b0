/**
 * What every process of the job shares when it logs to its own run directory:
 * one SummaryWriter, snapshots of a model through the tfjs adapter, and the
 * rule that logging never stops training. A failure is reported once per kind
 * on stderr, so a broken disk gives one line, not thousands.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { SummaryWriter, type SummaryWriterOptions } from '../../writer/index.js';
import { logActivations, logWeights, type ProbeBatch } from '../../writer/tfjs/index.js';

export class RunLog {
  readonly writer: SummaryWriter;
  /** Failure kinds already reported. */
  private readonly reported = new Set<string>();
  /** Wall-clock milliseconds spent in this log's calls: the cost logging adds to training. */
  loggingMs = 0;

  /**
   * `who` names the process in messages: `worker 1`, `coordinator`.
   * `outputClasses` are the digits of the logged model's output units, in
   * unit order, so that a viewer names an expert's unit 0 by its own class.
   */
  constructor(
    logDir: string,
    private readonly who: string,
    options: Omit<SummaryWriterOptions, 'onError'>,
    private readonly outputClasses: readonly number[],
  ) {
    this.writer = new SummaryWriter(logDir, {
      ...options,
      onError: (error) => this.report('writer', error),
    });
  }

  /** Activations of the probe batch and every weight of `model`, at `step`. */
  async snapshot(model: tfjs.LayersModel, probes: ProbeBatch, step: number): Promise<void> {
    const started = performance.now();
    const options = {
      outputLabels: this.outputClasses,
      onError: (error: Error) => this.report('snapshot', error),
      onWarning: (message: string) => this.report(message, new Error(message)),
    };
    await logActivations(this.writer, model, probes, step, options).catch(options.onError);
    await logWeights(this.writer, model, step, options).catch(options.onError);
    this.loggingMs += performance.now() - started;
  }

  async close(): Promise<void> {
    await this.writer.close().catch((error: Error) => this.report('close', error));
  }

  protected guard(kind: string, write: () => void): void {
    const started = performance.now();
    try {
      write();
    } catch (error) {
      this.report(kind, error as Error);
    }
    this.loggingMs += performance.now() - started;
  }

  private report(kind: string, error: Error): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    console.error(`${this.who}: logging ${kind} failed: ${error.message}`);
  }
}
