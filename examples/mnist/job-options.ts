/**
 * The settings of one training job, their defaults per model and their checks.
 * Defaults are sized so that the demo's two default jobs finish in a few
 * minutes on two cores with pure-JS tfjs, and each still reaches its
 * accuracy target (CNN experts >= 90%, averaged linear model >= 88%).
 */
import { CLASSES } from './dataset.js';
import { MODES, type Mode } from './messages.js';
import { MODELS, type ModelKind } from './models.js';
import { PARTITIONS, type PartitionKind } from './partition.js';

export interface JobOptions {
  mode: Mode;
  model: ModelKind;
  partition: PartitionKind;
  workers: number;
  /** The logdir, and the run directory under it: `<logdir>/<run>/worker-<rank>`. */
  logdir: string;
  run: string;
  seed: number;
  /** Training images shared out among the workers. */
  trainSize: number;
  /** Local steps per worker; when null, `epochs` passes over the largest shard. */
  steps: number | null;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Local steps between two exchanges under `fedavg` and `experts`. */
  localSteps: number;
  /** Training images outside the shards on which the experts' combiner is trained. */
  combineSize: number;
  /** Worker snapshots of activations and weights every this many steps. */
  logEvery: number;
  /** Probes per class, taken from the test set. */
  probesPerClass: number;
  /** Test images the combined model is scored on: the first this many of the 10,000. */
  testSize: number;
}

export type JobSettings = Pick<JobOptions, 'mode' | 'model' | 'partition' | 'workers'> &
  Partial<Omit<JobOptions, 'mode' | 'model' | 'partition' | 'workers'>>;

type ModelDefaults = Omit<
  JobOptions,
  'mode' | 'model' | 'partition' | 'workers' | 'logdir' | 'run' | 'seed' | 'steps' | 'testSize'
>;

/** An inclusive range of whole numbers. */
export interface WholeRange {
  min: number;
  max: number;
}

/**
 * The bounds checkJobOptions enforces on the options a user sets, shared with
 * the command line (flags.ts) so that `--help` and its errors state the same.
 */
export const LIMITS = {
  /** At most one worker per digit: `by-class` gives every worker one at least. */
  workers: { min: 1, max: CLASSES },
  /**
   * The minimum is per worker: each needs an image. The maximum leaves 2,000
   * of the 60,000 training images unseen, for the experts' combiner.
   */
  trainSize: { min: 1, max: 58_000 },
  steps: { min: 1, max: 10_000_000 },
  /** The generator's state is 32 bits; larger seeds would repeat smaller ones. */
  seed: { min: 0, max: 2 ** 32 - 1 },
} satisfies Record<string, WholeRange>;

/**
 * Epochs are any positive number up to this: 1000 passes over the largest
 * shard (58,000 images, one worker) at batch 32 stay within LIMITS.steps.
 */
export const MAX_EPOCHS = 1000;

export const PER_MODEL: Record<ModelKind, ModelDefaults> = {
  cnn: {
    trainSize: 10_000,
    epochs: 1,
    batchSize: 32,
    learningRate: 0.002,
    localSteps: 10,
    combineSize: 2_000,
    logEvery: 50,
    probesPerClass: 2,
  },
  linear: {
    trainSize: 50_000,
    epochs: 1,
    batchSize: 32,
    learningRate: 0.1,
    localSteps: 4,
    combineSize: 2_000,
    logEvery: 100,
    probesPerClass: 2,
  },
};

/** Fills in every unset option from the model's defaults, then checks the result. */
export function jobOptions(settings: JobSettings): JobOptions {
  const options: JobOptions = {
    logdir: './runs',
    run: `${settings.model}-${settings.mode}`,
    seed: 1,
    steps: null,
    testSize: 10_000,
    ...PER_MODEL[settings.model],
    ...(withoutUndefined(settings) as JobSettings),
  };
  checkJobOptions(options);
  return options;
}

export function checkJobOptions(options: JobOptions): void {
  oneOf('mode', options.mode, MODES);
  oneOf('model', options.model, MODELS);
  oneOf('partition', options.partition, PARTITIONS);
  if (options.mode === 'experts' && options.model !== 'cnn') {
    throw new RangeError(
      `invalid model for experts: ${options.model} (want cnn: experts share features)`,
    );
  }
  const { workers, trainSize, steps, seed } = LIMITS;
  wholeNumber('workers', options.workers, workers.min, workers.max);
  const perWorker = trainSize.min * options.workers;
  wholeNumber('train size', options.trainSize, perWorker, trainSize.max);
  if (options.steps !== null) wholeNumber('steps', options.steps, steps.min, steps.max);
  wholeNumber('seed', options.seed, seed.min, seed.max);
  positive('epochs', options.epochs, MAX_EPOCHS);
  wholeNumber('batch size', options.batchSize, 1, 4096);
  positive('learning rate', options.learningRate);
  wholeNumber('local steps', options.localSteps, 1, 1e6);
  wholeNumber('log every', options.logEvery, 1, 1e9);
  wholeNumber('probes per class', options.probesPerClass, 1, 50);
  wholeNumber('test size', options.testSize, 1, 10_000);
}

function oneOf<T>(name: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new RangeError(`invalid ${name}: ${JSON.stringify(value)} (want ${allowed.join(', ')})`);
  }
}

function wholeNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`invalid ${name}: ${value} (want a whole number in ${min}..${max})`);
  }
}

function positive(name: string, value: number, max = Infinity): void {
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    const want = max === Infinity ? 'a positive number' : `a number above 0, at most ${max}`;
    throw new RangeError(`invalid ${name}: ${value} (want ${want})`);
  }
}

function withoutUndefined<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
