/**
 * The shape every training mode has: given a started job, train, and hand
 * back the combined model with its score on the whole test set.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TestResult } from '../evaluate.js';
import type { JobContext } from '../job-context.js';

export interface ModeResult {
  /** The one model the job produced: averaged replicas, or experts under a combiner. */
  model: tfjs.LayersModel;
  test: TestResult;
  /** Local steps each worker took. */
  steps: number;
}

export type ModeRunner = (ctx: JobContext) => Promise<ModeResult>;
