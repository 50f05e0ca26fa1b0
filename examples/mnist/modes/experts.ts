/**
 * Experts: each worker trains its own CNN on its own classes, unsynchronised.
 * At the end the coordinator builds one model over all classes: every
 * expert's layers up to its feature layer, frozen, their outputs concatenated
 * in rank order, and one new dense layer on top, trained on a combining set
 * of training images no worker saw. The workers compute their features for
 * that set (and for the test set) in parallel; the coordinator concatenates.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { imagesAt, type Examples } from '../dataset.js';
import { evaluateLayer } from '../evaluate.js';
import { meanLoss, type JobContext } from '../job-context.js';
import { COMBINER_LAYER, buildCombined, setExpertWeights } from '../models.js';
import { seededRandom, shuffle } from '../partition.js';
import { tf } from '../tf.js';
import { divergence } from '../weights-math.js';
import type { ModeResult } from './mode.js';
import { allOf } from './sync.js';

/** Rounds between two weight fetches for the divergence scalars. */
const DIVERGENCE_EVERY = 5;
const COMBINER_EPOCHS = 15;
const COMBINER_BATCH = 64;

export async function runExperts(ctx: JobContext): Promise<ModeResult> {
  const weights = await trainExperts(ctx);
  ctx.phase(
    `combining ${ctx.transport.size} experts: a layer over their features, ` +
      `${COMBINER_EPOCHS} epochs on ${ctx.combineSet.count} images none of them saw`,
  );
  const model = buildCombined(ctx.transport.size, ctx.options.seed);
  weights.forEach((values, rank) => setExpertWeights(model, rank, ctx.weightNames, values));

  const combiner = model.getLayer(COMBINER_LAYER);
  const combining = await expertFeatures(ctx, ctx.combineSet);
  trainCombiner(combiner, combining, ctx.combineSet.labels, ctx.options.seed);
  const testing = await expertFeatures(ctx, ctx.test);
  const test = evaluateLayer(combiner, testing.values, testing.width, ctx.test.labels);
  return { model, test, steps: ctx.totalSteps };
}

/** Trains every expert for the job's steps; returns their final weights by rank. */
async function trainExperts(ctx: JobContext): Promise<Float32Array[][]> {
  const { options, totalSteps } = ctx;
  let latest: Float32Array[][] = [];
  let step = 0;
  for (let round = 1; step < totalSteps; round++) {
    const steps = Math.min(options.localSteps, totalSteps - step);
    const last = step + steps === totalSteps;
    const returnWeights = last || round % DIVERGENCE_EVERY === 0;
    const trained = await ctx.round('trained', () => ({
      kind: 'train',
      steps,
      weights: null,
      returnWeights,
    }));
    step += steps;
    if (returnWeights) {
      latest = trained.map((reply) => reply.weights as Float32Array[]);
      ctx.log.divergence(step, divergence(latest, ctx.weightNames));
    }
    ctx.log.classCounts(
      step,
      trained.map((reply) => reply.stats.classCounts),
    );
    ctx.logTiming(step, steps);
    ctx.progress(step, meanLoss(trained), steps * options.batchSize * ctx.transport.size);
    await ctx.afterRound(step);
  }
  return latest;
}

/** Every expert's features for `examples`, concatenated per example in rank order. */
export async function expertFeatures(
  ctx: JobContext,
  examples: Examples,
): Promise<{ values: Float32Array; width: number }> {
  const images = imagesAt(examples, allOf(examples.count));
  const parts = await ctx.round('features', () => ({
    kind: 'features',
    images,
    count: examples.count,
  }));
  return concatFeatures(parts, examples.count);
}

/** Row-wise concatenation of `[count, units_r]` blocks, in order. */
export function concatFeatures(
  parts: { values: Float32Array; units: number }[],
  count: number,
): { values: Float32Array; width: number } {
  const width = parts.reduce((sum, part) => sum + part.units, 0);
  const values = new Float32Array(count * width);
  for (let i = 0; i < count; i++) {
    let at = i * width;
    for (const { values: block, units } of parts) {
      values.set(block.subarray(i * units, (i + 1) * units), at);
      at += units;
    }
  }
  return { values, width };
}

/** Fits the combining layer alone on precomputed features, with Adam and shuffled batches. */
function trainCombiner(
  combiner: tfjs.layers.Layer,
  features: { values: Float32Array; width: number },
  labels: Uint8Array,
  seed: number,
): void {
  const random = seededRandom(seed + 17);
  const optimizer = tf.train.adam(0.01);
  const variables = combiner.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const x = tf.tensor2d(features.values, [labels.length, features.width]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10));
  for (let epoch = 0; epoch < COMBINER_EPOCHS; epoch++) {
    const order = shuffle(allOf(labels.length), random);
    for (let from = 0; from < order.length; from += COMBINER_BATCH) {
      const batch = tf.tensor1d(order.slice(from, from + COMBINER_BATCH), 'int32');
      tf.tidy(() => {
        const predicted = () => combiner.apply(x.gather(batch)) as tfjs.Tensor;
        optimizer.minimize(
          () =>
            tf.metrics.categoricalCrossentropy(y.gather(batch), predicted()).mean() as tfjs.Scalar,
          false,
          variables,
        );
      });
      batch.dispose();
    }
  }
  tf.dispose([x, y]);
  optimizer.dispose();
}
