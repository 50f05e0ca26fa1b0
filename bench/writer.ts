/**
 * Writer throughput, printed as figures (nothing passes or fails):
 * - scalar events per second through SummaryWriter.scalar, flushed to disk;
 * - MB/s writing 1 MiB raw tensor summaries, next to a plain fs append of the
 *   very same bytes (the ceiling the writer's framing and encoding eat into).
 *
 *   npx tsx bench/writer.ts [--scalars 500000] [--tensors 100]
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SummaryWriter, TensorRole } from '../writer/index.js';

const OUT = new URL('./out/writer/', import.meta.url).pathname;
const MB = 2 ** 20;

const { values: args } = parseArgs({
  options: {
    scalars: { type: 'string', default: '500000' },
    tensors: { type: 'string', default: '100' },
  },
});

function freshDir(name: string): string {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function scalarRate(count: number): Promise<void> {
  const writer = new SummaryWriter(freshDir('scalars'));
  const seconds = await timed(async () => {
    for (let step = 0; step < count; step++) {
      writer.scalar('loss', 1 / (step + 1), step);
      // A training loop yields between steps; let the background writes run.
      if (step % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
  });
  const rate = Math.round(count / seconds);
  console.log(
    `scalars: ${count} events in ${seconds.toFixed(3)} s = ` +
      `${rate.toLocaleString('en')} events/s (target >= 300,000)`,
  );
}

/**
 * Rounds of the tensor comparison. Both sides end in an fsync whose cost
 * depends on how much the kernel is still writing back from the round before,
 * so one round can be off by a factor of two; the medians of alternating
 * rounds are what is compared.
 */
const TENSOR_ROUNDS = 5;

async function tensorRate(count: number): Promise<void> {
  const values = Float32Array.from({ length: MB / 4 }, (_, i) => Math.sin(i));
  const writerRates: number[] = [];
  const plainRates: number[] = [];
  let megabytes = 0;
  for (let round = 0; round < TENSOR_ROUNDS; round++) {
    const writer = new SummaryWriter(freshDir('tensors'));
    const writerSeconds = await timed(async () => {
      for (let step = 0; step < count; step++) {
        writer.tensor('activations/dense', values, [values.length], step, {
          role: TensorRole.ACTIVATION,
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
      await writer.close();
    });
    const bytes = readFileSync(writer.filePath);
    megabytes = bytes.length / MB;
    const plainSeconds = await timed(async () => plainAppend(bytes, count));
    writerRates.push(megabytes / writerSeconds);
    plainRates.push(megabytes / plainSeconds);
  }
  const writerRate = median(writerRates);
  const plainRate = median(plainRates);
  console.log(
    `tensors: ${count} x 1 MiB, ${megabytes.toFixed(1)} MiB, median of ${TENSOR_ROUNDS} rounds: ` +
      `writer ${writerRate.toFixed(0)} MB/s, ` +
      `plain fs append ${plainRate.toFixed(0)} MB/s, ` +
      `ratio ${((100 * writerRate) / plainRate).toFixed(0)}% (target >= 70%); ` +
      `writer rounds ${writerRates.map((rate) => rate.toFixed(0)).join(', ')} MB/s`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The same bytes appended in record-sized pieces, then fsynced like close() does. */
async function plainAppend(bytes: Buffer, pieces: number): Promise<void> {
  const fd = openSync(join(freshDir('plain'), 'plain.bin'), 'ax');
  const size = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += size) writeSync(fd, bytes.subarray(at, at + size));
  fsyncSync(fd);
  closeSync(fd);
}

await scalarRate(Number(args.scalars));
await tensorRate(Number(args.tensors));
