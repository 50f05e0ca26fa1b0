/**
 * Makes synthetic logdirs for bench/load.ts under bench/out/:
 *   scalars-<n>x  scalar-heavy: 10 runs, 100 scalar tags each, ~<n> × --mb MB in all
 *   images-<n>x   image-heavy: 20 runs of ~1 MB images plus a few scalars
 * Scalar events are framed from hand-encoded protobuf bytes (the wire layout
 * of a TF2 scalar: a rank-0 float tensor), so a gigabyte takes seconds.
 *
 *   npx tsx bench/make-logdir.ts [--mb 1024] [--scales 1,2] [--kinds scalars,images] [--out dir]
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataClass, DataType, encodeEvent, type Event } from '../proto/index.js';
import { encodeRecord } from '../writer/record.js';

const DEFAULT_OUT = new URL('./out/', import.meta.url).pathname;
const SCALAR_RUNS = 10;
const SCALAR_TAGS = 100;
const IMAGE_RUNS = 20;
const IMAGE_BYTES = 1 << 20;

/** Streams framed records to a file, respecting backpressure. */
class RecordFile {
  private readonly stream;
  bytes = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  async write(record: Uint8Array): Promise<void> {
    this.bytes += record.length;
    if (!this.stream.write(record)) await new Promise((r) => this.stream.once('drain', r));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return bytes;
}

/** Field header plus length prefix for a length-delimited field. */
const delimited = (field: number, body: number[]) => [
  (field << 3) | 2,
  ...varint(body.length),
  ...body,
];

/** Event{wall_time, step, summary{value{tag, tensor{DT_FLOAT, shape{}, float_val}}}}. */
function scalarPayload(tag: number[], step: number, wallTime: number, value: number): Buffer {
  const numbers = Buffer.alloc(12);
  numbers.writeDoubleLE(wallTime, 0);
  numbers.writeFloatLE(value, 8);
  const tensor = [0x08, DataType.FLOAT, 0x12, 0x00, ...delimited(5, [...numbers.subarray(8)])];
  const summaryValue = [...delimited(1, tag), ...delimited(8, tensor)];
  return Buffer.from([
    0x09,
    ...numbers.subarray(0, 8),
    0x10,
    ...varint(step),
    ...delimited(5, delimited(1, summaryValue)),
  ]);
}

function fileVersion(): Uint8Array {
  return encodeRecord(encodeEvent({ wallTime: 1.7e9, fileVersion: 'brain.Event:2' }));
}

/** The first value of each tag carries the scalars plugin metadata, as TF writers do. */
function scalarMetadataEvent(tag: string): Uint8Array {
  const value = {
    tag,
    metadata: { pluginData: { pluginName: 'scalars' }, dataClass: DataClass.SCALAR },
    tensor: { dtype: DataType.FLOAT, tensorShape: {}, floatVal: [0] },
  };
  return encodeRecord(encodeEvent({ wallTime: 1.7e9, step: 0, summary: { value: [value] } }));
}

async function makeScalars(dir: string, bytes: number): Promise<void> {
  const tags = Array.from({ length: SCALAR_TAGS }, (_, i) => `metrics/tag_${i}`);
  const encoded = tags.map((tag) => [...Buffer.from(tag)]);
  const perRun = bytes / SCALAR_RUNS;
  for (let run = 0; run < SCALAR_RUNS; run++) {
    const runDir = join(dir, `run_${run}`);
    mkdirSync(runDir, { recursive: true });
    const file = new RecordFile(join(runDir, `events.out.tfevents.1700000000.bench.${run}.0`));
    await file.write(fileVersion());
    for (const tag of tags) await file.write(scalarMetadataEvent(tag));
    for (let step = 1; file.bytes < perRun; step++) {
      const batch: Uint8Array[] = [];
      for (let t = 0; t < SCALAR_TAGS; t++) {
        const payload = scalarPayload(encoded[t], step, 1.7e9 + step, Math.sin(step + t));
        batch.push(encodeRecord(payload));
      }
      await file.write(Buffer.concat(batch));
    }
    await file.close();
  }
}

function imageEvent(step: number, image: Uint8Array): Event {
  const encoder = new TextEncoder();
  const value = {
    tag: 'samples/image',
    metadata: { pluginData: { pluginName: 'images' }, dataClass: DataClass.BLOB_SEQUENCE },
    tensor: {
      dtype: DataType.STRING,
      tensorShape: { dim: [{ size: 3 }] },
      stringVal: [encoder.encode('512'), encoder.encode('512'), image],
    },
  };
  return { wallTime: 1.7e9 + step, step, summary: { value: [value] } };
}

async function makeImages(dir: string, bytes: number): Promise<void> {
  // Bytes that do not compress or repeat, standing in for PNG data.
  const image = new Uint8Array(IMAGE_BYTES).map((_, i) => (i * 2654435761) >>> 24);
  const perRun = bytes / IMAGE_RUNS;
  for (let run = 0; run < IMAGE_RUNS; run++) {
    const runDir = join(dir, `run_${run}`);
    mkdirSync(runDir, { recursive: true });
    const file = new RecordFile(join(runDir, `events.out.tfevents.1700000000.bench.${run}.0`));
    await file.write(fileVersion());
    for (let step = 0; file.bytes < perRun; step++) {
      image[0] = step & 0xff;
      await file.write(encodeRecord(encodeEvent(imageEvent(step, image))));
      for (const tag of ['loss', 'accuracy']) {
        const payload = scalarPayload([...Buffer.from(tag)], step, 1.7e9 + step, step);
        await file.write(encodeRecord(payload));
      }
    }
    await file.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_OUT },
      mb: { type: 'string', default: '1024' },
      scales: { type: 'string', default: '1,2' },
      kinds: { type: 'string', default: 'scalars,images' },
    },
  });
  const megabytes = Number(values.mb);
  if (!(megabytes > 0)) throw new RangeError(`invalid --mb: ${values.mb}`);
  for (const kind of values.kinds.split(',')) {
    if (kind !== 'scalars' && kind !== 'images') throw new RangeError(`unknown kind: ${kind}`);
    for (const scale of values.scales.split(',').map(Number)) {
      const dir = join(values.out, `${kind}-${scale}x`);
      rmSync(dir, { recursive: true, force: true });
      const started = performance.now();
      const make = kind === 'scalars' ? makeScalars : makeImages;
      await make(dir, megabytes * scale * 2 ** 20);
      const seconds = (performance.now() - started) / 1000;
      console.log(`${dir}: ${megabytes * scale} MB in ${seconds.toFixed(1)} s`);
    }
  }
}

await main();
