/**
 * Synchronous data parallelism: every step each worker computes gradients on
 * its own batch, the coordinator averages them, and every worker applies the
 * same average. Replicas start equal (seeded initialisers) and so stay equal;
 * the divergence logged is a check of that invariant and should read zero.
 */
import { evaluateModel } from '../evaluate.js';
import { meanLoss, type JobContext } from '../job-context.js';
import { buildModel, writeWeights } from '../models.js';
import { averageWeights, divergence } from '../weights-math.js';
import { imagesAt } from '../dataset.js';
import type { ModeResult } from './mode.js';

export async function runSync(ctx: JobContext): Promise<ModeResult> {
  const { options, totalSteps } = ctx;
  for (let step = 1; step <= totalSteps; step++) {
    const computed = await ctx.round('gradients', () => ({ kind: 'compute-gradients' }));
    const gradients = averageWeights(computed.map((reply) => reply.gradients));
    await ctx.round('done', () => ({ kind: 'apply-gradients', gradients }));
    ctx.progress(step, meanLoss(computed), options.batchSize * ctx.transport.size);

    if (step % options.localSteps === 0 || step === totalSteps) {
      const weights = await ctx.round('weights', () => ({ kind: 'get-weights' }));
      ctx.log.divergence(
        step,
        divergence(
          weights.map((r) => r.weights),
          ctx.weightNames,
        ),
      );
      ctx.log.classCounts(
        step,
        computed.map((reply) => reply.stats.classCounts),
      );
      ctx.logTiming(step, options.localSteps);
    }
    await ctx.afterRound(step);
  }

  const final = await ctx.round('weights', () => ({ kind: 'get-weights' }));
  const model = buildModel(options.model, 10, options.seed);
  writeWeights(model, averageWeights(final.map((reply) => reply.weights)));
  const test = evaluateModel(model, imagesAt(ctx.test, allOf(ctx.test.count)), ctx.test.labels);
  return { model, test, steps: totalSteps };
}

export function allOf(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
