/**
 * Throughput of the MNIST job: training samples per second (all workers
 * together, as the progress bar reports them) with one and two workers, and
 * the share of the workers' compute time spent logging at the default
 * cadence. Short CNN jobs on iid shards; run a few times, the figures move
 * with whatever else shares the CPU.
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

interface Throughput {
  samplesPerSecond: number;
  loggingShare: number;
}

/** A short CNN job at the demo's default snapshot cadence. */
async function throughput(workers: number): Promise<Throughput> {
  let samplesPerSecond = 0;
  const options = jobOptions({
    mode: 'fedavg',
    model: 'cnn',
    partition: 'iid',
    workers,
    logdir,
    run: `w${workers}`,
    steps,
    testSize: 100,
  });
  const result = await runJob(options, {
    onProgress: (p) => (samplesPerSecond = p.samplesPerSecond),
  });
  return { samplesPerSecond, loggingShare: result.loggingShare };
}

const one = await throughput(1);
const two = await throughput(2);
const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
console.log(`steps per worker: ${steps}, batch 32, cnn, fedavg, default snapshot cadence`);
console.log(`1 worker : ${one.samplesPerSecond.toFixed(1)} samples/s`);
console.log(
  `2 workers: ${two.samplesPerSecond.toFixed(1)} samples/s ` +
    `(${(two.samplesPerSecond / one.samplesPerSecond).toFixed(2)}x)`,
);
// Measured inside the workers (time in logging calls over compute time), so it
// does not drown in the run-to-run noise of an A/B comparison on a shared CPU.
console.log(
  `logging overhead: ${percent(one.loggingShare)} (1 worker), ` +
    `${percent(two.loggingShare)} (2 workers)`,
);
