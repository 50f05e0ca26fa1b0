/**
 * The command line of `npm start`, checked in full before the job prints its
 * first line or forks a worker. A value out of range, a mix of flags that
 * cannot work, or a logdir that cannot hold runs is a usage error: one line
 * on stderr naming the flag, the value and what is allowed, and exit status
 * 2, as for the `lensboard` command. The viewer's host is checked as a
 * hostname or IP literal here too: a viewer that cannot bind is otherwise
 * found only once the job is under way. The ranges are job-options.ts's, so
 * `--help`, these errors and the checks on scripted jobs agree.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseHost, parsePort } from '../../server/cli-options.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../server/index.js';
import { planJob } from './coordinator.js';
import { loadMnist } from './dataset.js';
import {
  LIMITS,
  MAX_EPOCHS,
  PER_MODEL,
  jobOptions,
  type JobSettings,
  type WholeRange,
} from './job-options.js';
import { MODES, type Mode } from './messages.js';
import { MODELS, type ModelKind } from './models.js';
import { PARTITIONS, classesOf, type PartitionKind } from './partition.js';

/** Exit status for flags that cannot work, as the `lensboard` command uses. */
export const USAGE_EXIT = 2;

export interface Flags {
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

/** Where commander writes help and errors; tests capture them. */
export interface FlagsOutput {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

/**
 * The flags of `argv` (as `process.argv`, program first), every one checked.
 * Throws CommanderError after printing the reason: exit code 0 for `--help`,
 * USAGE_EXIT for any mistake.
 */
export function parseFlags(argv: string[], output: FlagsOutput = {}): Flags {
  const program = buildProgram(output);
  const flags = program.parse(argv).opts<Flags>();
  const refuse = (flag: string, value: unknown, want: string): never =>
    program.error(`option '${flag}' argument '${value}' is invalid. ${want}`);
  checkCombination(flags, refuse);
  checkLogdir(flags.logdir, refuse);
  checkShards(flags, refuse);
  return flags;
}

/** The jobs to run: the demo's pair, or the one the flags describe. */
export function plannedJobs(flags: Flags): JobSettings[] {
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

type Refuse = (flag: string, value: unknown, want: string) => never;

function buildProgram(output: FlagsOutput): Command {
  const { workers, trainSize, steps, seed } = LIMITS;
  const trainSizeText = `from ${trainSize.min} per worker to ${trainSize.max}`;
  return new Command('lensboard-mnist')
    .description('Distributed MNIST training, logged for lensboard and TensorBoard')
    .configureOutput({
      ...output,
      outputError: (text, write) => write(`lensboard-mnist: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride((error) => {
      // Commander's own mistakes exit 1; every mistake here exits USAGE_EXIT.
      if (error.exitCode === 0) throw error;
      throw new CommanderError(USAGE_EXIT, error.code, error.message);
    })
    .option('--workers <n>', `worker processes, ${rangeText(workers)}`, wholeNumberIn(workers), 2)
    .addOption(new Option('--mode <mode>', 'how workers combine').choices(MODES))
    .addOption(new Option('--model <model>', 'model to train').choices(MODELS))
    .addOption(
      new Option('--partition <kind>', 'which examples each worker sees')
        .choices(PARTITIONS)
        .default('by-class'),
    )
    .option('--logdir <dir>', 'where runs are written, created if missing', './runs')
    .option('--port <n>', 'viewer port, 0 to 65535; 0 picks a free one', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'viewer address to bind', parseHost, DEFAULT_HOST)
    .option(
      '--epochs <n>',
      `passes over the largest worker shard, above 0 and at most ${MAX_EPOCHS} ` +
        `(default: ${perModelDefault('epochs')})`,
      epochsNumber,
    )
    .option(
      '--steps <n>',
      `local steps per worker, ${rangeText(steps)} (overrides --epochs)`,
      wholeNumberIn(steps),
    )
    .option(
      '--train-size <n>',
      `training images shared among the workers, ${trainSizeText} ` +
        `(default: ${perModelDefault('trainSize')})`,
      // The bound per worker is checked once --workers is known too.
      wholeNumberIn(trainSize, trainSizeText),
    )
    .option('--no-serve', 'train without serving the viewer')
    .option(
      '--seed <n>',
      `seed of data order and initial weights, ${rangeText(seed)}`,
      wholeNumberIn(seed),
      1,
    )
    .addHelpText(
      'after',
      '\nWithout --mode and --model: CNN experts, then a linear model by federated averaging.\n' +
        'With one of them: a single job ' +
        '(experts train the CNN; sync and fedavg default to linear).\n' +
        `Exit status: 2 when a flag's value cannot be used.`,
    );
}

/**
 * Decimal digits only: `1e3`, `0x10` and `` (which Number reads as 0) are
 * mistakes here. `shown` is the range as the error states it.
 */
function wholeNumberIn(range: WholeRange, shown = rangeText(range)): (text: string) => number {
  return (text) => {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= range.min && n <= range.max)) {
      throw new InvalidArgumentError(`Want a whole number ${shown}.`);
    }
    return n;
  };
}

function epochsNumber(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= MAX_EPOCHS)) {
    throw new InvalidArgumentError(`Want a number above 0 and at most ${MAX_EPOCHS}.`);
  }
  return n;
}

function rangeText({ min, max }: WholeRange): string {
  return `from ${min} to ${max}`;
}

/** `1 for either model`, or `10000 for cnn, 50000 for linear` when they differ. */
function perModelDefault(key: 'epochs' | 'trainSize'): string {
  const values = MODELS.map((model) => PER_MODEL[model][key]);
  if (values.every((value) => value === values[0])) return `${values[0]} for either model`;
  return MODELS.map((model, i) => `${values[i]} for ${model}`).join(', ');
}

/** What no single flag's parser can see: bounds that depend on another flag. */
function checkCombination(flags: Flags, refuse: Refuse): void {
  const least = LIMITS.trainSize.min * flags.workers;
  if (flags.trainSize !== undefined && flags.trainSize < least) {
    refuse(
      '--train-size <n>',
      flags.trainSize,
      `Want one image per worker at least: from ${least} to ${LIMITS.trainSize.max} ` +
        `with --workers ${flags.workers}.`,
    );
  }
  if (flags.mode === 'experts' && flags.model !== undefined && flags.model !== 'cnn') {
    refuse(
      '--model <model>',
      flags.model,
      'Experts are combined through their CNN features: want --model cnn with --mode experts.',
    );
  }
}

/** The logdir is created now, so that a file or a read-only place is named before training. */
function checkLogdir(logdir: string, refuse: Refuse): void {
  const info = statSync(logdir, { throwIfNoEntry: false });
  if (info && !info.isDirectory())
    refuse('--logdir <dir>', logdir, 'It is a file; want a directory.');
  try {
    mkdirSync(logdir, { recursive: true });
    accessSync(logdir, constants.W_OK | constants.X_OK);
  } catch (error) {
    refuse('--logdir <dir>', logdir, `Cannot write runs there: ${(error as Error).message}.`);
  }
}

/**
 * Under `by-class` a small `--train-size` can leave a worker's digits out of
 * the seeded sample altogether; the plan is cheap (no tfjs, 60,000 indices),
 * so it is made here rather than found by the worker after training began.
 */
function checkShards(flags: Flags, refuse: Refuse): void {
  if (flags.trainSize === undefined) return;
  const data = loadMnist();
  for (const settings of plannedJobs(flags)) {
    const plan = planJob(jobOptions({ ...settings, run: 'preflight' }), data);
    const empty = plan.shards.find((shard) => shard.indices.length === 0);
    if (!empty) continue;
    const digits = classesOf(empty.rank, flags.workers);
    const named = `digit${digits.length > 1 ? 's' : ''} ${digits.join(', ')}`;
    refuse(
      '--train-size <n>',
      flags.trainSize,
      `Under --partition by-class worker ${empty.rank} (${named}) gets none of ` +
        'that many images: want a larger --train-size, or --partition iid.',
    );
  }
}
