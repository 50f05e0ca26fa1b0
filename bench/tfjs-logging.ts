/**
 * What logging costs training, for a small MNIST-shaped CNN on random data:
 * milliseconds per training batch without lensboard, of the callback's work
 * per batch (fit's metrics as scalars), and per snapshot (activations of 16
 * probes plus all weights). The overhead at the default cadence (a snapshot
 * every 100 batches) is derived from those, each measured on its own: a
 * difference of two noisy training runs would hide a few percent, and 100+
 * batches of pure-JS tfjs take many minutes on a shared machine.
 *
 *     npx tsx bench/tfjs-logging.ts [batches=20] [snapshots=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SummaryWriter } from '../writer/index.js';
import {
  backendModule,
  DEFAULT_SNAPSHOT_EVERY,
  lensboardCallback,
  type ProbeBatch,
} from '../writer/tfjs/index.js';

const BATCH = 32;
const PROBES = 16;
const batches = Number(process.argv[2] ?? 20);
const snapshots = Number(process.argv[3] ?? 3);

function cnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

interface Setup {
  model: tf.Sequential;
  x: tf.Tensor;
  y: tf.Tensor;
  probes: ProbeBatch;
  writer: SummaryWriter;
  runDir: string;
}

function setUp(count: number): Setup {
  const x = tf.randomUniform([BATCH * count, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([BATCH * count], 0, 10, 'int32'), 10);
  const probes = {
    x: x.slice(0, PROBES),
    ids: [...Array(PROBES).keys()],
    labels: Array(PROBES).fill(-1),
  };
  const runDir = mkdtempSync(join(tmpdir(), 'lensboard-bench-'));
  return { model: cnn(), x, y, probes, writer: new SummaryWriter(runDir), runDir };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.writer.close();
  tf.dispose([setup.x, setup.y, setup.probes.x as tf.Tensor]);
  setup.model.dispose();
  rmSync(setup.runDir, { recursive: true, force: true });
}

/** ms per batch of one epoch over `count` batches, without lensboard. */
async function msPerBatch(count: number): Promise<number> {
  const setup = setUp(count);
  const started = performance.now();
  await setup.model.fit(setup.x, setup.y, { epochs: 1, batchSize: BATCH, shuffle: false });
  const elapsed = performance.now() - started;
  await tearDown(setup);
  return elapsed / count;
}

/** ms of the callback's own work at a batch without a snapshot: fit's metrics as scalars. */
async function msPerMetricsBatch(count: number): Promise<number> {
  const setup = setUp(1);
  const callback = lensboardCallback(setup.writer, { snapshotEvery: 0 });
  const loss = tf.scalar(0.5);
  const started = performance.now();
  // Logs as fit passes them: the loss a tensor, the rest numbers.
  for (let batch = 0; batch < count; batch++) {
    await callback.onBatchEnd(batch, { batch, size: BATCH, loss, acc: 0.25 });
  }
  await setup.writer.flush();
  const elapsed = performance.now() - started;
  loss.dispose();
  await tearDown(setup);
  return elapsed / count;
}

/** ms per snapshot (activations of the probes and all weights, grids and templates included). */
async function msPerSnapshot(count: number): Promise<number> {
  const setup = setUp(1);
  const callback = lensboardCallback(setup.writer, { probes: setup.probes });
  callback.setModel(setup.model);
  await callback.snapshot(0); // builds the capture model once, as training does
  const started = performance.now();
  for (let step = 1; step <= count; step++) await callback.snapshot(step);
  await setup.writer.flush();
  const elapsed = performance.now() - started;
  await tearDown(setup);
  return elapsed / count;
}

await msPerBatch(2); // warm-up: first-call setup of every kernel
const plain = await msPerBatch(batches);
const metrics = await msPerMetricsBatch(1000);
const snapshot = await msPerSnapshot(snapshots);
const perBatch = metrics + snapshot / DEFAULT_SNAPSHOT_EVERY;

console.log(`backend: ${backendModule} (${tf.getBackend()}); ${batches} batches of ${BATCH}`);
console.log(`training, no logging:       ${plain.toFixed(1)} ms/batch`);
console.log(`callback, metrics only:     ${metrics.toFixed(3)} ms/batch`);
console.log(`one snapshot (${PROBES} probes):   ${snapshot.toFixed(1)} ms`);
console.log(
  `overhead at default cadence: ${perBatch.toFixed(2)} ms/batch = ` +
    `${((perBatch / plain) * 100).toFixed(2)} % (target <= 5 %)`,
);
