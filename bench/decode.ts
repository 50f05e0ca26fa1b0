/**
 * Decode throughput of event files, printed as figures (nothing passes or
 * fails): record framing (`readRecord`, both checksums) plus `decodeEvent`, in
 * MB/s, next to CRC32C alone over the same bytes, the ceiling of any reader
 * that verifies checksums. Two files: scalar-heavy (many tiny records) and
 * image-heavy (few large ones), both written by SummaryWriter.
 *
 *   npx tsx bench/decode.ts [--scalars 300000] [--images 100]
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeEvent } from '../proto/index.js';
import { crc32c } from '../writer/crc32c.js';
import { SummaryWriter } from '../writer/index.js';
import { readRecord } from '../writer/record.js';

const OUT = new URL('./out/decode/', import.meta.url).pathname;
const MB = 2 ** 20;
const REPEATS = 3;

const { values: args } = parseArgs({
  options: {
    scalars: { type: 'string', default: '300000' },
    images: { type: 'string', default: '100' },
  },
});

async function writeFile(name: string, fill: (writer: SummaryWriter) => void): Promise<Buffer> {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const writer = new SummaryWriter(dir);
  fill(writer);
  await writer.close();
  return readFileSync(writer.filePath);
}

function scalarHeavy(writer: SummaryWriter): void {
  const count = Number(args.scalars);
  for (let step = 0; step < count; step++) writer.scalar(`metric/${step % 100}`, step / 7, step);
}

/** Noise compresses badly, so each PNG stays near its raw size (256x256 RGB, ~192 KiB). */
function imageHeavy(writer: SummaryWriter): void {
  const data = new Uint8Array(256 * 256 * 3);
  let seed = 1;
  for (let step = 0; step < Number(args.images); step++) {
    for (let i = 0; i < data.length; i++)
      data[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    writer.image('samples', { data, width: 256, height: 256, channels: 3 }, step);
  }
}

/** Best of a few runs, in MB/s. */
function rate(bytes: number, run: () => void): number {
  let best = Infinity;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return bytes / MB / best;
}

function decodeAll(bytes: Buffer): number {
  let events = 0;
  for (let at = 0; at < bytes.length; events++) {
    const result = readRecord(bytes, at, 'bench');
    if (result.kind !== 'record') throw new Error(`file cut at ${at}`);
    decodeEvent(result.record.payload);
    at = result.record.next;
  }
  return events;
}

function report(name: string, bytes: Buffer): void {
  const events = decodeAll(bytes);
  const crcRate = rate(bytes.length, () => crc32c(bytes));
  const decodeRate = rate(bytes.length, () => decodeAll(bytes));
  const reference = createRequire(import.meta.url)('crc-32/crc32c') as {
    buf(b: Uint8Array): number;
  };
  const packageRate = rate(bytes.length, () => reference.buf(bytes));
  console.log(
    `${name}: ${events} events, ${(bytes.length / MB).toFixed(1)} MiB: ` +
      `decode ${decodeRate.toFixed(0)} MB/s, ` +
      `CRC32C alone ${crcRate.toFixed(0)} MB/s (crc-32 package: ${packageRate.toFixed(0)} MB/s), ` +
      `decode/CRC ${((100 * decodeRate) / crcRate).toFixed(0)}%`,
  );
}

report('scalar-heavy', await writeFile('scalars', scalarHeavy));
report('image-heavy', await writeFile('images', imageHeavy));
