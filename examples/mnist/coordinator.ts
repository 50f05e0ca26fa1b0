/**
 * Runs one distributed training job: plans who trains on what, forks the
 * workers, lets the chosen mode train, scores and logs the combined model,
 * and stops every process. A worker that dies stops the job with a message
 * naming it; an interrupt stops it between rounds. Either way every event
 * logged so far reaches the disk: workers flush on close or on SIGTERM, and
 * the coordinator closes its own writer last.
 */
import path from 'node:path';
import { CLASSES, imagesAt, labelsAt, loadMnist, type Examples, type Mnist } from './dataset.js';
import { installFastConvGradient } from './cpu-conv-grad.js';
import { JobContext, JobInterrupted, type JobHooks } from './job-context.js';
import { GlobalLog } from './job-logging.js';
import type { JobOptions } from './job-options.js';
import type { Mode, WorkerConfig } from './messages.js';
import type { ModeResult, ModeRunner } from './modes/mode.js';
import { runExperts } from './modes/experts.js';
import { runFedAvg } from './modes/fedavg.js';
import { runSync } from './modes/sync.js';
import { firstOfEachClass, partition, seededRandom, shuffle, type Shard } from './partition.js';
import { ProcessTransport } from './process-transport.js';
import { WorkerFailure } from './transport.js';
import { tf } from './tf.js';
import type { TestResult } from './evaluate.js';

const RUNNERS: Record<Mode, ModeRunner> = { sync: runSync, fedavg: runFedAvg, experts: runExperts };

/** How long workers get to flush after an interrupt before they are terminated. */
const CLOSE_GRACE_MS = 30_000;

export interface JobResult {
  runDir: string;
  test: TestResult;
  steps: number;
  seconds: number;
  /** Share of the workers' compute time spent logging. */
  loggingShare: number;
}

/** What the coordinator decided before any worker starts. */
export interface JobPlan {
  shards: Shard[];
  /** Test-set indices of the probe batch, the same for every worker. */
  probes: number[];
  combineSet: Examples;
  totalSteps: number;
}

export function planJob(options: JobOptions, data: Mnist): JobPlan {
  const order = shuffle(
    Array.from({ length: data.train.count }, (_, i) => i),
    seededRandom(options.seed),
  );
  const pool = order.slice(0, options.trainSize);
  const combine = order.slice(options.trainSize, options.trainSize + options.combineSize);
  const shards = partition(
    data.train.labels,
    pool,
    options.workers,
    options.partition,
    options.seed,
  );
  const largest = Math.max(...shards.map((shard) => shard.indices.length));
  const totalSteps = options.steps ?? Math.ceil((options.epochs * largest) / options.batchSize);
  return {
    shards,
    probes: firstOfEachClass(data.test.labels, options.probesPerClass),
    combineSet: {
      pixels: subsetPixels(data.train, combine),
      labels: Uint8Array.from(labelsAt(data.train, combine)),
      count: combine.length,
    },
    totalSteps,
  };
}

export async function runJob(options: JobOptions, hooks: JobHooks = {}): Promise<JobResult> {
  const started = performance.now();
  await tf.ready();
  installFastConvGradient();
  const data = loadMnist();
  const plan = planJob(options, data);
  const runDir = path.join(options.logdir, options.run);
  const log = new GlobalLog(path.join(runDir, 'global'), options.workers);
  log.description(describeJob(options, plan));

  const transport = new ProcessTransport(options.workers);
  const ctx = new JobContext(
    options,
    transport,
    log,
    plan.shards,
    plan.totalSteps,
    firstExamples(data.test, options.testSize),
    probeBatch(data, plan.probes),
    plan.combineSet,
    hooks,
  );
  try {
    const ready = await ctx.round('ready', (rank) => ({
      kind: 'init',
      config: workerConfig(options, plan, rank, runDir),
    }));
    ctx.weightNames = ready[0].weightNames;
    ctx.startClock();
    const result = await RUNNERS[options.mode](ctx);
    await finish(ctx, result);
    await hooks.beforeClose?.(transport, result.model);
    await transport.close();
    const seconds = (performance.now() - started) / 1000;
    return {
      runDir,
      test: result.test,
      steps: result.steps,
      seconds,
      loggingShare: ctx.loggingShare(),
    };
  } catch (error) {
    await stopWorkers(transport, error);
    if (endedByTheStop(error, hooks.signal))
      throw new JobInterrupted('interrupted', { cause: error });
    throw error;
  } finally {
    tf.dispose(ctx.probes.x);
    await log.close();
  }
}

/** Logs the combined model's score and a snapshot of it at the job's last step. */
async function finish(ctx: JobContext, result: ModeResult): Promise<void> {
  ctx.log.testResults(result.steps, result.test.accuracy, result.test.loss);
  await ctx.log.snapshot(result.model, ctx.probes, result.steps);
}

/**
 * After an interrupt the workers are healthy: they are asked to close, which
 * writes their last snapshot and flushes. After a failure they are sent
 * SIGTERM, on which their writers flush what was queued and the process ends.
 */
async function stopWorkers(transport: ProcessTransport, error: unknown): Promise<void> {
  if (!(error instanceof JobInterrupted)) {
    await transport.kill();
    return;
  }
  const grace = setTimeout(() => void transport.kill(), CLOSE_GRACE_MS);
  await transport.close().catch(() => transport.kill());
  clearTimeout(grace);
}

/**
 * True when a worker died of the very signal that is stopping the job: sent to
 * the whole process group (by `timeout`, a supervisor, a terminal), it reaches
 * each worker as well as the coordinator. The coordinator's own handler has run
 * by then: its signal arrived before the worker could flush, die and be reaped.
 */
function endedByTheStop(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    error instanceof WorkerFailure &&
    error.signal !== undefined &&
    signal?.aborted === true &&
    signal.reason === error.signal
  );
}

function workerConfig(
  options: JobOptions,
  plan: JobPlan,
  rank: number,
  runDir: string,
): WorkerConfig {
  const shard = plan.shards[rank];
  return {
    rank,
    worldSize: options.workers,
    mode: options.mode,
    model: options.model,
    // Experts differ from the start; replicas of one model must not.
    seed: options.mode === 'experts' ? options.seed + 1000 * (rank + 1) : options.seed,
    logDir: path.join(runDir, `worker-${rank}`),
    shard: shard.indices,
    outputClasses:
      options.mode === 'experts' ? shard.classes : Array.from({ length: CLASSES }, (_, c) => c),
    probes: plan.probes,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    logEvery: options.logEvery,
  };
}

function probeBatch(data: Mnist, probes: number[]) {
  const x = tf.tensor4d(imagesAt(data.test, probes), [probes.length, 28, 28, 1]);
  return { x, ids: probes, labels: labelsAt(data.test, probes) };
}

function firstExamples(examples: Examples, count: number): Examples {
  if (count >= examples.count) return examples;
  const indices = Array.from({ length: count }, (_, i) => i);
  const labels = Uint8Array.from(labelsAt(examples, indices));
  return { pixels: subsetPixels(examples, indices), labels, count };
}

function subsetPixels(examples: Examples, indices: number[]): Uint8Array {
  const size = 28 * 28;
  const out = new Uint8Array(indices.length * size);
  indices.forEach((at, i) =>
    out.set(examples.pixels.subarray(at * size, (at + 1) * size), i * size),
  );
  return out;
}

function describeJob(options: JobOptions, plan: JobPlan): object {
  return {
    mode: options.mode,
    partition: options.partition,
    model: options.model,
    worldSize: options.workers,
    classesPerWorker: plan.shards.map((shard) => shard.classes),
    examplesPerWorker: plan.shards.map((shard) => shard.indices.length),
    stepsPerWorker: plan.totalSteps,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    localSteps: options.localSteps,
    combineSize: options.mode === 'experts' ? options.combineSize : 0,
    seed: options.seed,
  };
}
