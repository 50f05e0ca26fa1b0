/**
 * Federated averaging: each worker trains `localSteps` steps on its own data,
 * then the coordinator averages the workers' weights element-wise and every
 * worker continues from that average. With classes split between workers the
 * replicas drift apart between averages; the divergence logged shows how far.
 */
import { imagesAt } from '../dataset.js';
import { evaluateModel } from '../evaluate.js';
import { meanLoss, type JobContext } from '../job-context.js';
import { buildModel, writeWeights } from '../models.js';
import { averageWeights, divergence } from '../weights-math.js';
import type { ModeResult } from './mode.js';
import { allOf } from './sync.js';

/** Intermediate test evaluations over a job; the CNN's are too slow for pure JS. */
const LINEAR_EVALUATIONS = 10;

export async function runFedAvg(ctx: JobContext): Promise<ModeResult> {
  const { options, totalSteps } = ctx;
  const model = buildModel(options.model, 10, options.seed);
  const testImages = imagesAt(ctx.test, allOf(ctx.test.count));
  const evaluateEvery = Math.ceil(totalSteps / options.localSteps / LINEAR_EVALUATIONS);
  let average: Float32Array[] | null = null;
  let step = 0;

  for (let round = 1; step < totalSteps; round++) {
    const steps = Math.min(options.localSteps, totalSteps - step);
    const start = average;
    const trained = await ctx.round('trained', () => ({
      kind: 'train',
      steps,
      weights: start,
      returnWeights: true,
    }));
    step += steps;
    const lists = trained.map((reply) => reply.weights as Float32Array[]);
    average = averageWeights(lists);

    ctx.log.divergence(step, divergence(lists, ctx.weightNames));
    ctx.log.classCounts(
      step,
      trained.map((reply) => reply.stats.classCounts),
    );
    ctx.logTiming(step, steps);
    ctx.progress(step, meanLoss(trained), steps * options.batchSize * ctx.transport.size);
    if (options.model === 'linear' && round % evaluateEvery === 0 && step < totalSteps) {
      writeWeights(model, average);
      const test = evaluateModel(model, testImages, ctx.test.labels);
      ctx.log.testResults(step, test.accuracy, test.loss);
      // The combined model's templates and activations at each evaluation show
      // how the average itself learns, next to each worker's own snapshots.
      await ctx.log.snapshot(model, ctx.probes, step);
    }
    await ctx.afterRound(step);
  }

  writeWeights(model, average as Float32Array[]);
  return { model, test: evaluateModel(model, testImages, ctx.test.labels), steps: totalSteps };
}
