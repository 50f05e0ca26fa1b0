/**
 * One worker's copy of the model and everything it trains with: its shard of
 * the training set, its optimizer and its log. The modes drive it through
 * requests; a replica never decides when to synchronise.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { CLASSES, PIXELS, imagesAt, labelsAt, type Mnist } from './dataset.js';
import type { TrainStats, WorkerConfig } from './messages.js';
import { FEATURE_LAYER, buildModel, readWeights, writeWeights } from './models.js';
import { seededRandom, shuffle } from './partition.js';
import { tf } from './tf.js';
import { WorkerLog } from './worker-log.js';

interface Batch {
  x: tfjs.Tensor4D;
  y: tfjs.Tensor2D;
  labels: number[];
}

export class Replica {
  readonly model: tfjs.Sequential;
  /** Local steps applied so far; every applied step is logged under this number. */
  step = 0;
  /** Examples of each class this replica has trained on. */
  readonly classCounts = new Array<number>(CLASSES).fill(0);

  private readonly optimizer: tfjs.Optimizer;
  private readonly images: Float32Array;
  private readonly labels: number[];
  /** Output unit of each class the model predicts; classes outside are never fed. */
  private readonly unitOf: Map<number, number>;
  private readonly random: () => number;
  /** Positions in the shard in this epoch's order, and the next one to use. */
  private order: number[] = [];
  private cursor = 0;
  private featureModel: tfjs.LayersModel | null = null;
  private readonly log: WorkerLog | null;
  private readonly probeImages: tfjs.Tensor4D;

  constructor(
    readonly config: WorkerConfig,
    data: Mnist,
  ) {
    if (config.shard.length === 0) throw new RangeError(`worker ${config.rank}: empty shard`);
    this.model = buildModel(config.model, config.outputClasses.length, config.seed);
    this.optimizer =
      config.model === 'cnn'
        ? tf.train.adam(config.learningRate)
        : tf.train.sgd(config.learningRate);
    this.images = imagesAt(data.train, config.shard);
    this.labels = labelsAt(data.train, config.shard);
    this.unitOf = new Map(config.outputClasses.map((label, unit) => [label, unit]));
    this.random = seededRandom(config.seed * 7919 + config.rank);
    this.probeImages = tf.tensor4d(imagesAt(data.test, config.probes), [
      config.probes.length,
      28,
      28,
      1,
    ]);
    const probes = {
      x: this.probeImages,
      ids: config.probes,
      labels: labelsAt(data.test, config.probes),
    };
    this.log = config.logDir
      ? new WorkerLog(config.logDir, config.rank, config.worldSize, probes, config.outputClasses)
      : null;
  }

  get weightNames(): string[] {
    return this.model.weights.map((w) => w.originalName);
  }

  /** Trains `steps` local steps, logging each one. */
  async train(steps: number): Promise<TrainStats> {
    let last = { loss: NaN, accuracy: NaN };
    for (let i = 0; i < steps; i++) {
      last = this.trainStep();
      await this.afterStep(last.loss, last.accuracy);
    }
    return this.stats(last.loss, last.accuracy);
  }

  /** Gradients of the loss on the next batch, in `trainableWeights` order; nothing applied. */
  computeGradients(): { gradients: Float32Array[]; stats: TrainStats } {
    const batch = this.nextBatch();
    const accuracy = this.batchAccuracy(batch);
    const variables = this.model.trainableWeights.map((w) => w.read() as tfjs.Variable);
    const { value, grads } = tf.variableGrads(() => this.loss(batch), variables);
    const gradients = variables.map((v) => grads[v.name].dataSync() as Float32Array);
    const loss = value.dataSync()[0];
    tf.dispose([value, grads, batch.x, batch.y]);
    this.pending = { loss, accuracy };
    return { gradients, stats: this.stats(loss, accuracy) };
  }

  /** Applies gradients (the average of every replica's) for the batch of `computeGradients`. */
  async applyGradients(gradients: Float32Array[]): Promise<void> {
    const variables = this.model.trainableWeights.map((w) => w.read() as tfjs.Variable);
    if (gradients.length !== variables.length) {
      throw new RangeError(`gradient count got ${gradients.length}, want ${variables.length}`);
    }
    const named = Object.fromEntries(
      variables.map((v, i) => [v.name, tf.tensor(gradients[i], v.shape)]),
    );
    this.optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
    await this.afterStep(this.pending.loss, this.pending.accuracy);
  }

  weights(): Float32Array[] {
    return readWeights(this.model);
  }

  setWeights(values: Float32Array[]): void {
    writeWeights(this.model, values);
  }

  /** The feature layer's output for `count` images, `[count, units]` row-major. */
  features(images: Float32Array, count: number): { values: Float32Array; units: number } {
    const model = (this.featureModel ??= this.buildFeatureModel());
    const units = model.outputs[0].shape[1] as number;
    const values = new Float32Array(count * units);
    const chunk = 500;
    for (let from = 0; from < count; from += chunk) {
      const n = Math.min(chunk, count - from);
      const part = images.subarray(from * PIXELS, (from + n) * PIXELS);
      const out = tf.tidy(() => model.predict(tf.tensor4d(part, [n, 28, 28, 1])) as tfjs.Tensor);
      values.set(out.dataSync(), from * units);
      out.dispose();
    }
    return { values, units };
  }

  /** A last snapshot at the final step, then every event flushed to disk. */
  async close(): Promise<void> {
    if (this.log) {
      await this.log.snapshotModel(this.model, this.step);
      await this.log.close();
    }
    this.probeImages.dispose();
  }

  /**
   * Every event logged so far flushed to disk, with no last snapshot: for a
   * job that ended without its coordinator, whose run stays unfinished.
   */
  async closeLog(): Promise<void> {
    await this.log?.close();
  }

  /** Logs the step just applied (metrics every step, a snapshot every `logEvery`). */
  async logNow(): Promise<void> {
    await this.log?.snapshotModel(this.model, this.step);
  }

  private pending = { loss: NaN, accuracy: NaN };

  private trainStep(): { loss: number; accuracy: number } {
    const batch = this.nextBatch();
    const accuracy = this.batchAccuracy(batch);
    const cost = this.optimizer.minimize(() => this.loss(batch), true) as tfjs.Scalar;
    const loss = cost.dataSync()[0];
    tf.dispose([cost, batch.x, batch.y]);
    return { loss, accuracy };
  }

  private async afterStep(loss: number, accuracy: number): Promise<void> {
    this.step++;
    this.log?.metrics(this.step, loss, accuracy);
    if (this.step % this.config.logEvery === 0)
      await this.log?.snapshotModel(this.model, this.step);
  }

  private loss(batch: Batch): tfjs.Scalar {
    const predicted = this.model.apply(batch.x, { training: true }) as tfjs.Tensor;
    return tf.metrics.categoricalCrossentropy(batch.y, predicted).mean() as tfjs.Scalar;
  }

  /** Accuracy on the batch before this step's update, as Keras reports it. */
  private batchAccuracy(batch: Batch): number {
    return tf.tidy(() => {
      const predicted = (this.model.predict(batch.x) as tfjs.Tensor).argMax(-1);
      return predicted.equal(batch.y.argMax(-1)).mean().dataSync()[0];
    });
  }

  private nextBatch(): Batch {
    const size = Math.min(this.config.batchSize, this.labels.length);
    const positions: number[] = [];
    while (positions.length < size) {
      if (this.cursor >= this.order.length) this.startEpoch();
      positions.push(this.order[this.cursor++]);
    }
    const pixels = new Float32Array(size * PIXELS);
    positions.forEach((p, i) =>
      pixels.set(this.images.subarray(p * PIXELS, (p + 1) * PIXELS), i * PIXELS),
    );
    const labels = positions.map((p) => this.labels[p]);
    for (const label of labels) this.classCounts[label]++;
    const units = labels.map((label) => this.unitOf.get(label) ?? -1);
    return {
      x: tf.tensor4d(pixels, [size, 28, 28, 1]),
      y: tf.tidy(() => tf.oneHot(tf.tensor1d(units, 'int32'), this.unitOf.size)) as tfjs.Tensor2D,
      labels,
    };
  }

  private startEpoch(): void {
    this.order = shuffle(
      Array.from(this.labels, (_, i) => i),
      this.random,
    );
    this.cursor = 0;
  }

  private stats(loss: number, accuracy: number): TrainStats {
    const loggingMs = this.log?.loggingMs ?? 0;
    return { step: this.step, classCounts: [...this.classCounts], loss, accuracy, loggingMs };
  }

  private buildFeatureModel(): tfjs.LayersModel {
    const layer = this.model.layers.find((l) => l.name === FEATURE_LAYER);
    if (!layer) {
      throw new Error(`model "${this.config.model}" has no "${FEATURE_LAYER}" layer to share`);
    }
    return tf.model({ inputs: this.model.inputs, outputs: layer.output as tfjs.SymbolicTensor });
  }
}
