/**
 * Throughput of the MNIST job: training samples per second (all workers
 * together, as the progress bar reports them) with one and two workers, and
 * the cost of the worker snapshots at the default cadence compared with
 * snapshots only at the end. Short CNN jobs on iid shards; run a few times,
 * the figures move with whatever else shares the CPU.
 *
 *     npx tsx bench/mnist.ts [steps]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runJob } from '../examples/mnist/coordinator.js';
import { jobOptions } from '../examples/mnist/job-options.js';

const steps = Number(process.argv[2] ?? 60);
const logdir = mkdtempSync(path.join(tmpdir(), 'bench-mnist-'));

async function samplesPerSecond(workers: number, logEvery: number): Promise<number> {
  let last = 0;
  const options = jobOptions({
    mode: 'fedavg',
    model: 'cnn',
    partition: 'iid',
    workers,
    logdir,
    run: `w${workers}-every${logEvery}`,
    steps,
    logEvery,
    testSize: 100,
  });
  await runJob(options, { onProgress: (p) => (last = p.samplesPerSecond) });
  return last;
}

const one = await samplesPerSecond(1, 50);
const two = await samplesPerSecond(2, 50);
const quiet = await samplesPerSecond(2, 1e9);
console.log(`steps per worker: ${steps}, batch 32, cnn, fedavg every 10 steps`);
console.log(`1 worker : ${one.toFixed(1)} samples/s`);
console.log(`2 workers: ${two.toFixed(1)} samples/s (${(two / one).toFixed(2)}x)`);
console.log(`2 workers, snapshots only at the end: ${quiet.toFixed(1)} samples/s`);
console.log(`snapshot overhead at every 50 steps: ${((quiet / two - 1) * 100).toFixed(1)}%`);
