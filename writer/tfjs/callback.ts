/**
 * The training hook: a `tf.Callback` for `model.fit(..., { callbacks })` that
 * logs fit's metrics every batch and epoch, and snapshots activations (of the
 * probe batch) and weights every `snapshotEvery` batches and at each epoch's
 * end. Steps count batches over the callback's life, from `initialStep`, and
 * epochs continue after the ones already logged, so a second `fit` with the
 * same callback continues both axes. Options are checked when the callback
 * is made (a bad one throws there); after that, logging never throws into
 * training: failures are reported, and a snapshot that cannot log
 * activations still logs weights.
 *
 * It works with whichever tfjs copy runs `fit`. A copy other than lensboard's
 * (a project that installs lensboard by path keeps both) does not recognise
 * this class as a callback: it wraps it as a `CustomCallback`, calls the hooks
 * as plain functions and never calls `setModel`. So the hooks are bound to the
 * instance, and the model comes from `setModel` when fit calls it, else from
 * the `model` option. Such a fit wraps every callback of the list when the
 * first is not its own class, its own `tf.callbacks` too, which then fail:
 * list lensboard's callback after them.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { describe } from '../arguments.js';
import { checkActivationOptions, logActivations, type ActivationOptions } from './activations.js';
import { tf } from './backend.js';
import type { LayersModel } from './layers.js';
import { checkBooleanOption, checkIntegerOption } from './options.js';
import { checkProbes, checkProbesFitModel, probeInputs, type ProbeBatch } from './probes.js';
import { Reporter } from './report.js';
import { checkSink, type SummarySink } from './sink.js';
import { checkWeightOptions, logWeights, type WeightOptions } from './weights.js';

export interface CallbackOptions extends ActivationOptions, WeightOptions {
  /**
   * The probe batch whose activations are logged; without it only weights are.
   * Its tensors stay the caller's: dispose them after `fit`. Probes disposed
   * during training stop activations, with one warning, not weights.
   */
  probes?: ProbeBatch;
  /** Log `batch/<metric>` every this many batches; default 1 (scalars are cheap). */
  batchMetricsEvery?: number;
  /**
   * Snapshot activations and weights every this many batches, counting from
   * the first (so training's start is captured); default 100, which costs a
   * few percent of training time for a small CNN. 0 turns batch snapshots off.
   */
  snapshotEvery?: number;
  /** Also snapshot after each epoch's last batch; default true. */
  snapshotOnEpochEnd?: boolean;
  /** The step of the first batch, an integer >= 0; default 0. */
  initialStep?: number;
  /**
   * The model to snapshot when `fit` does not hand it over with `setModel`:
   * needed when the tfjs that runs `fit` is another copy than lensboard's
   * (lensboard installed by path, say). A model from `setModel` wins.
   */
  model?: LayersModel;
}

export const DEFAULT_SNAPSHOT_EVERY = 100;

type Logs = Record<string, number | tfjs.Tensor>;

export class LensboardCallback extends tf.Callback {
  /** Batches finished over this callback's life; the step of the next batch. */
  private step: number;
  /** The step of the newest snapshot, so an epoch's end never repeats one. */
  private lastSnapshot = -1;
  /** Added to fit's epoch number: 0 in the first fit, so the steps are tfjs's epochs. */
  private epochOffset = 0;
  /** The step after the newest epoch logged: the epoch axis never goes below it. */
  private nextEpochStep = 0;
  private readonly reporter: Reporter;

  constructor(
    private readonly writer: SummarySink,
    private readonly options: CallbackOptions = {},
  ) {
    super();
    checkSink(writer);
    checkCallbackOptions(options);
    this.step = options.initialStep ?? 0;
    this.reporter = new Reporter(writer, options);
    // Another tfjs copy calls the hooks unbound (see the file's comment).
    this.onBatchEnd = this.onBatchEnd.bind(this);
    this.onEpochEnd = this.onEpochEnd.bind(this);
    this.onTrainEnd = this.onTrainEnd.bind(this);
    this.setModel = this.setModel.bind(this);
  }

  /**
   * Keeps the model fit trains. tfjs's own check (`instanceof LayersModel`)
   * is left out: it fails for a model of another tfjs copy.
   */
  override setModel(model: Parameters<tfjs.Callback['setModel']>[0]): void {
    this.model = model as LayersModel;
  }

  override async onBatchEnd(_batch: number, logs?: Logs): Promise<void> {
    const step = this.step++;
    await this.reporter.guard('metric', 'batch metrics', async () => {
      if (step % (this.options.batchMetricsEvery ?? 1) === 0)
        await this.logMetrics('batch', logs, step);
    });
    const every = this.options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    if (every > 0 && step % every === 0) await this.snapshot(step);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    // Epoch metrics use the epoch as step, as TensorBoard's Keras callback
    // does. A later fit counts its epochs from 0 (or its initialEpoch) again:
    // an epoch that would land before one already logged starts a new fit,
    // which continues the axis instead.
    if (epoch + this.epochOffset < this.nextEpochStep) {
      this.epochOffset = this.nextEpochStep - epoch;
    }
    const step = epoch + this.epochOffset;
    this.nextEpochStep = step + 1;
    await this.reporter.guard('metric', 'epoch metrics', () =>
      this.logMetrics('epoch', logs, step),
    );
    if (this.options.snapshotOnEpochEnd !== false && this.step > 0) {
      await this.snapshot(this.step - 1);
    }
  }

  override async onTrainEnd(): Promise<void> {
    await this.reporter.guard('flush', 'the final flush', async () => {
      await this.writer.flush();
    });
  }

  /**
   * Logs activations and weights at `step` unless that step already has them.
   * Each part is guarded on its own: probes that can no longer be run (disposed
   * during training, say) must not stop weights, templates and histograms.
   */
  async snapshot(step: number): Promise<void> {
    if (step === this.lastSnapshot) return;
    this.lastSnapshot = step;
    let model: LayersModel;
    try {
      model = this.snapshotModel();
    } catch (cause) {
      this.reporter.error('snapshot', 'a snapshot', cause);
      return;
    }
    const probes = this.options.probes;
    if (probes && this.probesAlive(probes, step)) {
      await this.reporter.guard('activation', `activations at step ${step}`, () =>
        logActivations(this.writer, model, probes, step, this.options),
      );
    }
    await this.reporter.guard('weight', `weights at step ${step}`, () =>
      logWeights(this.writer, model, step, this.options),
    );
  }

  /** Whether every probe tensor is still alive; warns once when one is not. */
  private probesAlive(probes: ProbeBatch, step: number): boolean {
    if (probeInputs(probes).every((input) => !input.isDisposed)) return true;
    this.reporter.warnOnce(
      'probes-disposed',
      `probes.x was disposed during training: not logging activations from step ${step} on ` +
        '(weights, templates and histograms still are); dispose the probes after fit',
    );
    return false;
  }

  /** The model fit handed over, else the `model` option; fit's tfjs may be another copy. */
  private snapshotModel(): LayersModel {
    const model = (this.model as LayersModel | undefined) ?? this.options.model;
    if (model) return model;
    throw new Error(
      'no model to snapshot: fit did not call setModel (its tfjs is another copy than ' +
        "lensboard's); pass it as the callback's model option",
    );
  }

  private async logMetrics(kind: 'batch' | 'epoch', logs: Logs | undefined, step: number) {
    for (const [name, value] of Object.entries(logs ?? {})) {
      // fit's own bookkeeping, not metrics.
      if (kind === 'batch' && (name === 'batch' || name === 'size')) continue;
      await this.writer.scalar(`${kind}/${name}`, await scalarOf(value), step);
    }
  }
}

/** A log value as a number. Tensors are read, not disposed: fit disposes its own logs. */
async function scalarOf(value: number | tfjs.Tensor): Promise<number> {
  return typeof value === 'number' ? value : (await value.data())[0];
}

/** Throws naming the option for any option of the wrong kind or range. */
function checkCallbackOptions(options: CallbackOptions): void {
  checkActivationOptions(options);
  checkWeightOptions(options);
  checkIntegerOption('batchMetricsEvery', options.batchMetricsEvery, 1);
  checkIntegerOption('snapshotEvery', options.snapshotEvery, 0);
  checkIntegerOption('initialStep', options.initialStep, 0);
  checkBooleanOption('snapshotOnEpochEnd', options.snapshotOnEpochEnd);
  if (options.probes !== undefined) checkProbes(options.probes);
  const model = options.model as Partial<LayersModel> | undefined;
  if (model !== undefined && (typeof model !== 'object' || !Array.isArray(model?.layers))) {
    throw new TypeError(`invalid model: ${describe(model)} (want a tfjs LayersModel)`);
  }
  // A model from setModel is only known during fit; its mismatch is reported there.
  if (model !== undefined && options.probes !== undefined) {
    checkProbesFitModel(options.probes, model as LayersModel);
  }
}

/** The callback for `model.fit(x, y, { callbacks: [lensboardCallback(writer, options)] })`. */
export function lensboardCallback(
  writer: SummarySink,
  options?: CallbackOptions,
): LensboardCallback {
  return new LensboardCallback(writer, options);
}
