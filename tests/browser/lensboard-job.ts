/**
 * A small distributed job written the way lensboard's users write one: two
 * worker runs logging a seeded CNN through the tfjs adapter (activations,
 * stats, top probes, weights, templates) and a global run with the per-job
 * tags (divergence, timing, class counts). Shared by the lensboard views'
 * browser tests and their benchmark.
 */
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SummaryWriter } from '../../writer/index.js';
import { logActivations, logWeights } from '../../writer/tfjs/index.js';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface JobShape {
  job: string;
  workers: number;
  steps: number[];
  probes: number;
  /** Input side (square, one channel), and the filters of each conv layer. */
  side: number;
  convFilters: number[];
  denseUnits: number[];
  classes: number;
}

/** What the browser tests use: tiny, so writing it takes well under a second. */
export const SMALL_JOB: JobShape = {
  job: 'job',
  workers: 2,
  steps: [0, 10, 20],
  probes: 4,
  side: 8,
  convFilters: [4],
  denseUnits: [],
  classes: 3,
};

/** A CNN of the demo's size, for the benchmark: 32 channels per conv layer, MNIST inputs. */
export const DEMO_JOB: JobShape = {
  job: 'demo',
  workers: 2,
  steps: [0, 100, 200],
  probes: 8,
  side: 28,
  convFilters: [32, 32],
  denseUnits: [64],
  classes: 10,
};

function buildModel(shape: JobShape, seed: number): tf.Sequential {
  const model = tf.sequential();
  shape.convFilters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [shape.side, shape.side, 1] } : {}),
        filters,
        kernelSize: 3,
        activation: 'relu',
        name: `conv${i + 1}`,
        kernelInitializer: tf.initializers.glorotNormal({ seed: seed + i }),
      }),
    );
    if (shape.side > 8) model.add(tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i + 1}` }));
  });
  model.add(tf.layers.flatten({ name: 'flat' }));
  shape.denseUnits.forEach((units, i) =>
    model.add(tf.layers.dense({ units, activation: 'relu', name: `dense${i + 1}` })),
  );
  model.add(tf.layers.dense({ units: shape.classes, activation: 'softmax', name: 'out' }));
  return model;
}

/** Moves every weight a seeded random step, so steps and workers differ visibly. */
function perturb(model: tf.Sequential, seed: number): void {
  const weights = model.getWeights();
  const moved = weights.map((w, i) =>
    tf.add(w, tf.randomNormal(w.shape, 0, 0.1, 'float32', seed + i)),
  );
  model.setWeights(moved);
  tf.dispose(moved);
}

/**
 * Writes the job under `logdir/<job>/` and returns the run names (workers, then
 * global). Each worker runs in its own process, as in a real job: tfjs makes
 * variable names unique per process, so models built side by side in one
 * process would log `kernel_1` where a worker logs `kernel`.
 */
export async function writeJob(logdir: string, shape: JobShape): Promise<string[]> {
  const script = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: shape.workers }, (_, rank) =>
    run(process.execPath, ['--import', 'tsx', script, logdir, JSON.stringify(shape), String(rank)]),
  );
  await Promise.all(workers);
  const names = Array.from({ length: shape.workers }, (_, rank) => `${shape.job}/worker-${rank}`);
  return [...names, await writeGlobal(logdir, shape)];
}

async function run(command: string, args: string[]): Promise<void> {
  const { stderr } = await execFileAsync(command, args, { cwd: REPO_ROOT }).catch((error) => {
    throw new Error(`worker process failed: ${error.stderr || error.message}`);
  });
  if (/Error/.test(stderr)) throw new Error(`worker process reported: ${stderr}`);
}

/** One worker: the seeded model moved at every step, logged through the tfjs adapter. */
export async function writeWorker(logdir: string, shape: JobShape, rank: number): Promise<void> {
  const x = tf.randomUniform([shape.probes, shape.side, shape.side, 1], 0, 1, 'float32', 7);
  const labels = Array.from({ length: shape.probes }, (_, i) => i % shape.classes);
  const probes = { x, ids: labels.map((_, i) => 100 + i), labels };
  const writer = new SummaryWriter(join(logdir, `${shape.job}/worker-${rank}`), {
    workerRank: rank,
    worldSize: shape.workers,
  });
  const model = buildModel(shape, 1000 * (rank + 1));
  for (const step of shape.steps) {
    perturb(model, step * 31 + rank);
    await logActivations(writer, model, probes, step, { grids: false });
    await logWeights(writer, model, step, { histograms: false, filters: false });
  }
  await writer.close();
  model.dispose();
  x.dispose();
}

async function writeGlobal(logdir: string, shape: JobShape): Promise<string> {
  const run = `${shape.job}/global`;
  const writer = new SummaryWriter(join(logdir, run));
  const layers = [...shape.convFilters.map((_, i) => `conv${i + 1}`), 'out'];
  for (const step of shape.steps) {
    for (let rank = 0; rank < shape.workers; rank++) {
      layers.forEach((layer, i) =>
        writer.scalar(
          `divergence/worker-${rank}/${layer}`,
          0.01 * (rank + 1) * (i + 1) + step / 1000,
          step,
        ),
      );
      writer.scalar(`timing/worker-${rank}/compute`, 0.2 + 0.1 * rank, step);
      writer.scalar(`timing/worker-${rank}/communication`, 0.05, step);
      writer.scalar(`timing/worker-${rank}/waiting`, 0.1 * (shape.workers - 1 - rank), step);
    }
    const counts = Array.from(
      { length: shape.workers * shape.classes },
      (_, i) => (step + 10) * ((i % shape.classes) + 1),
    );
    writer.tensor('data/class_counts', counts, [shape.workers, shape.classes], step, { role: 8 });
  }
  await writer.close();
  return run;
}

// As a script: `<logdir> <shape as JSON> <rank>` writes that one worker.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [logdir, shape, rank] = process.argv.slice(2);
  await writeWorker(logdir, JSON.parse(shape) as JobShape, Number(rank));
}
