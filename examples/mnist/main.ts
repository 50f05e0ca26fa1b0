/**
 * `npm start`: trains MNIST across worker processes, logs every worker and the
 * combined model under `./runs`, and serves the viewer on it while training
 * and after. With no flags it runs the demo's two jobs on two workers that
 * each see half of the classes: CNN experts combined by a trained layer, then
 * a linear model trained by federated averaging.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { serve, type Serving } from '../../server/index.js';
import { runJob, type JobResult } from './coordinator.js';
import { JobInterrupted, type Progress } from './job-context.js';
import { jobOptions, type JobSettings } from './job-options.js';
import { MODES, type Mode } from './messages.js';
import { MODELS, type ModelKind } from './models.js';
import { PARTITIONS, type PartitionKind } from './partition.js';
import { ProgressBar } from './progress.js';
import { backendModule } from './tf.js';

interface Flags {
  workers: number;
  mode?: Mode;
  model?: ModelKind;
  partition: PartitionKind;
  logdir: string;
  port: number;
  host: string;
  epochs?: number;
  steps?: number;
  trainSize?: number;
  serve: boolean;
  seed: number;
}

function parseFlags(argv: string[]): Flags {
  const program = new Command('lensboard-mnist')
    .description('Distributed MNIST training, logged for lensboard and TensorBoard')
    .option('--workers <n>', 'worker processes', count, 2)
    .addOption(new Option('--mode <mode>', 'how workers combine').choices(MODES))
    .addOption(new Option('--model <model>', 'model to train').choices(MODELS))
    .addOption(
      new Option('--partition <kind>', 'which examples each worker sees')
        .choices(PARTITIONS)
        .default('by-class'),
    )
    .option('--logdir <dir>', 'where runs are written', './runs')
    .option('--port <n>', 'viewer port', count, 6007)
    .option('--host <host>', 'viewer host', '127.0.0.1')
    .option('--epochs <n>', 'passes over each worker shard', positiveNumber)
    .option('--steps <n>', 'local steps per worker (overrides --epochs)', count)
    .option('--train-size <n>', 'training images shared among the workers', count)
    .option('--no-serve', 'train without serving the viewer')
    .option('--seed <n>', 'seed of data order and initial weights', count, 1)
    .addHelpText(
      'after',
      '\nWithout --mode and --model: CNN experts, then a linear model by federated averaging.\n' +
        'With one of them: a single job ' +
        '(experts train the CNN; sync and fedavg default to linear).',
    );
  return program.parse(argv).opts<Flags>();
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`got ${value}, want a whole number`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`got ${value}, want a positive number`);
  return n;
}

/** The jobs to run: the demo's pair, or the one the flags describe. */
function plannedJobs(flags: Flags): JobSettings[] {
  const common = {
    workers: flags.workers,
    partition: flags.partition,
    logdir: flags.logdir,
    seed: flags.seed,
    epochs: flags.epochs,
    steps: flags.steps,
    trainSize: flags.trainSize,
  };
  if (!flags.mode && !flags.model) {
    return [
      { ...common, mode: 'experts', model: 'cnn' },
      { ...common, mode: 'fedavg', model: 'linear' },
    ];
  }
  const model = flags.model ?? (flags.mode === 'experts' ? 'cnn' : 'linear');
  const mode = flags.mode ?? (model === 'cnn' ? 'experts' : 'fedavg');
  return [{ ...common, mode, model }];
}

/** A run directory name not used before: launches never write into an old run. */
function freshRunName(logdir: string, settings: JobSettings): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = `${stamp}-${settings.model}-${settings.mode}`;
  let name = base;
  for (let n = 2; existsSync(path.join(logdir, name)); n++) name = `${base}-${n}`;
  return name;
}

async function startViewer(flags: Flags): Promise<Serving | null> {
  if (!flags.serve) return null;
  mkdirSync(flags.logdir, { recursive: true });
  try {
    const serving = await serve({ logdir: flags.logdir, port: flags.port, host: flags.host });
    console.log(`lensboard viewer: ${serving.url}`);
    return serving;
  } catch (error) {
    console.error(`viewer not started: ${(error as Error).message}; training goes on`);
    return null;
  }
}

async function trainAll(flags: Flags, signal: AbortSignal): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const settings of plannedJobs(flags)) {
    const options = jobOptions({ ...settings, run: freshRunName(flags.logdir, settings) });
    const bar = new ProgressBar(`${options.model}/${options.mode}`);
    try {
      const hooks = {
        onProgress: (p: Progress) => bar.update(p),
        onPhase: (d: string) => bar.phase(d),
      };
      results.push(await runJob(options, { ...hooks, signal }));
    } finally {
      bar.stop();
    }
    const { test, seconds, runDir } = results[results.length - 1];
    console.log(
      `${options.model} ${options.mode}: test accuracy ${(test.accuracy * 100).toFixed(2)}% ` +
        `on ${10_000} images, ${seconds.toFixed(0)} s, logged to ${runDir}`,
    );
  }
  return results;
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
function onInterrupt(abort: AbortController): Promise<void> {
  return new Promise((resolve) => {
    const handler = () => {
      if (abort.signal.aborted) process.exit(130);
      abort.abort();
      resolve();
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** Which tfjs computes; the workers keep tfjs's own advice about it quiet (worker.ts). */
function backendSummary(): string {
  return backendModule === '@tensorflow/tfjs-node'
    ? 'tfjs: native backend (@tensorflow/tfjs-node)'
    : 'tfjs: pure-JavaScript backend (@tensorflow/tfjs; ' +
        '@tensorflow/tfjs-node would train faster where it installs)';
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv);
  console.log(
    `${backendSummary()}; ${flags.workers} workers, logs in ${path.resolve(flags.logdir)}`,
  );
  const viewer = await startViewer(flags);
  const abort = new AbortController();
  const interrupted = onInterrupt(abort);
  try {
    await trainAll(flags, abort.signal);
    if (viewer && !abort.signal.aborted) {
      console.log(`training done; the viewer stays at ${viewer.url} (Ctrl-C to stop)`);
      await interrupted;
    }
  } catch (error) {
    if (error instanceof JobInterrupted)
      console.error('interrupted: workers stopped, logs flushed');
    else
      console.error(`job stopped: ${(error as Error).message}; everything logged so far is kept`);
    process.exitCode = error instanceof JobInterrupted ? 130 : 1;
  } finally {
    await viewer?.close();
  }
  process.exit();
}

await main();
