/**
 * Every summary kind, written by SummaryWriter and read back through
 * readRecord + decodeEvent, gives exactly the values logged; and for the same
 * input it matches, field by field, what TensorBoard's own writer put in the
 * fixture files.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DataClass,
  DataType,
  decodeEvent,
  decodeTensorMetadata,
  EventType,
  LENSBOARD_PLUGIN_NAME,
  TensorProtoType,
  TensorRole,
  type Event,
  type SummaryValue,
} from '../proto/index.js';
import { EventFileWriter, SummaryWriter } from '../writer/index.js';
import { readRecord } from '../writer/record.js';
import {
  doublesOf,
  floatsOf,
  readEvents,
  readSummaries,
  shapeOf,
  stepOf,
} from './helpers/read-events.js';

const FIXTURES = '/work/shared/fixtures/tensorboard';
const decoder = new TextDecoder();

let writers: SummaryWriter[] = [];
afterEach(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
  writers = [];
});

function newWriter(options = {}): SummaryWriter {
  const writer = new SummaryWriter(
    join(mkdtempSync(join(tmpdir(), 'lb-summaries-')), 'run'),
    options,
  );
  writers.push(writer);
  return writer;
}

async function valuesOf(writer: SummaryWriter): Promise<{ event: Event; value: SummaryValue }[]> {
  await writer.flush();
  return readSummaries(writer.filePath).map((event) => ({
    event,
    value: event.summary!.value![0],
  }));
}

function fixtureEvents(name: string, run: string): Event[] {
  const dir = join(FIXTURES, name, 'logdir', run);
  const file = readdirSync(dir).find((entry) => entry.includes('tfevents'))!;
  return readEvents(join(dir, file));
}

function fixtureValue(name: string, run: string, tag: string, index = 0): SummaryValue {
  const values = fixtureEvents(name, run)
    .flatMap((event) => event.summary?.value ?? [])
    .filter((value) => value.tag === tag);
  return values[index];
}

function rawPayloads(file: string): Uint8Array[] {
  const bytes = readFileSync(file);
  const payloads: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const result = readRecord(bytes, at, file);
    if (result.kind !== 'record') throw new Error(`${file} is cut at ${at}`);
    payloads.push(result.record.payload);
    at = result.record.next;
  }
  return payloads;
}

const tensorBytes = (value: SummaryValue) =>
  Buffer.from(TensorProtoType.encode(value.tensor!).finish()).toString('hex');

describe('the first event of a file', () => {
  it('is file_version "brain.Event:2" with source_metadata.writer "lensboard"', async () => {
    const writer = newWriter();
    await writer.flush();
    const [first] = readEvents(writer.filePath);
    expect(first.fileVersion).toBe('brain.Event:2');
    expect(first.sourceMetadata?.writer).toBe('lensboard');
  });
});

describe('scalar', () => {
  it('round-trips float32 values bit-exactly, NaN and infinities included', async () => {
    const writer = newWriter();
    const inputs = [
      0.1,
      NaN,
      Infinity,
      -Infinity,
      -0,
      1e30,
      3.4028234663852886e38,
      1e-45,
      2 ** -149,
    ];
    inputs.forEach((value, step) => writer.scalar('special', value, step));
    const read = (await valuesOf(writer)).map(({ value }) => floatsOf(value.tensor!)[0]);
    expect(read).toEqual(inputs.map(Math.fround));
    expect(Object.is(read[4], -0)).toBe(true);
  });

  it('keeps 64-bit steps exactly, up to 2^40 and beyond', async () => {
    const writer = newWriter();
    const steps = [0, 1, 2 ** 31, 2 ** 32 + 7, 2 ** 40, Number.MAX_SAFE_INTEGER];
    for (const step of steps) writer.scalar('big_step', 1, step);
    expect((await valuesOf(writer)).map(({ event }) => stepOf(event))).toEqual(steps);
  });

  it(
    'writes a rank-0 FLOAT tensor with scalars metadata ' + "on the tag's first value only",
    async () => {
      const writer = newWriter();
      writer.scalar('loss', 1, 0);
      writer.scalar('loss', 0.5, 1);
      writer.scalar('acc', 0.9, 1);
      const [first, second, other] = await valuesOf(writer);
      expect(first.value.tensor).toMatchObject({ dtype: DataType.FLOAT });
      expect(shapeOf(first.value.tensor!)).toEqual([]);
      expect(first.value.metadata).toMatchObject({
        pluginData: { pluginName: 'scalars' },
        dataClass: DataClass.SCALAR,
      });
      expect(second.value.metadata).toBeNull();
      expect(other.value.metadata?.pluginData?.pluginName).toBe('scalars');
    },
  );

  it('lays out scalar events byte for byte as the generic protobuf encoder does', async () => {
    const writer = newWriter();
    const steps = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 35 + 3, Number.MAX_SAFE_INTEGER];
    const tags = ['loss', 'métrique/准确率', 'emoji/🔥', 'x'.repeat(200)];
    steps.forEach((step, i) => writer.scalar(tags[i % tags.length], i - 0.25, step, 1234.5 + i));
    await writer.flush();
    const payloads = rawPayloads(writer.filePath).slice(1);
    expect(payloads).toHaveLength(steps.length);
    for (const payload of payloads) {
      expect(Buffer.from(EventType.encode(decodeEvent(payload)).finish())).toEqual(
        Buffer.from(payload),
      );
    }
    expect(readSummaries(writer.filePath).map(stepOf)).toEqual(steps);
  });

  it("writes the same bytes as TensorBoard's writer for the same scalar", async () => {
    const writer = newWriter();
    writer.scalar('loss', 1, 0, 1700000000);
    await writer.flush();
    const mine = readSummaries(writer.filePath)[0];
    const theirs = fixtureEvents('scalars', 'train').find((event) => event.summary)!;
    expect(Buffer.from(EventType.encode(mine).finish()).toString('hex')).toBe(
      Buffer.from(EventType.encode(theirs).finish()).toString('hex'),
    );
  });
});

describe('histogram', () => {
  it("matches TensorBoard's buckets bit for bit on the same data (fixture buckets5)", async () => {
    const writer = newWriter();
    writer.histogram('buckets5', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0, {
      buckets: 5,
      wallTime: 1700000010,
    });
    const [{ value }] = await valuesOf(writer);
    const theirs = fixtureValue('histograms', 'run', 'buckets5');
    expect(tensorBytes(value)).toBe(tensorBytes(theirs));
    expect(value.metadata?.pluginData?.pluginName).toBe(theirs.metadata?.pluginData?.pluginName);
    // TensorBoard's loader reports DATA_CLASS_TENSOR for this tag (expected.json);
    // lensboard writes it.
    expect(value.metadata?.dataClass).toBe(DataClass.TENSOR);
  });

  it(
    'writes a [k, 3] DOUBLE tensor of [left, right, count] rows ' + 'with exact integer counts',
    async () => {
      const writer = newWriter();
      const values = Float32Array.from({ length: 10_001 }, (_, i) => (i % 100) / 10);
      writer.histogram('weights', values, 3, { buckets: 7 });
      const [{ value }] = await valuesOf(writer);
      expect(value.tensor?.dtype).toBe(DataType.DOUBLE);
      expect(shapeOf(value.tensor!)).toEqual([7, 3]);
      const rows = doublesOf(value.tensor!);
      const counts = [0, 1, 2, 3, 4, 5, 6].map((row) => rows[row * 3 + 2]);
      expect(counts.every(Number.isInteger)).toBe(true);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(10_001);
      expect(rows[0]).toBe(0);
      expect(rows[19]).toBe(Math.fround(9.9));
      for (let row = 1; row < 7; row++) expect(rows[row * 3]).toBe(rows[row * 3 - 2]);
    },
  );

  it(
    'counts NaN and infinities apart, names them in the description, ' + 'and keeps edges finite',
    async () => {
      const writer = newWriter();
      writer.histogram('mixed', [1, NaN, Infinity, -Infinity, 2], 0, {
        buckets: 4,
        description: 'weights',
      });
      const [{ value }] = await valuesOf(writer);
      const rows = doublesOf(value.tensor!);
      expect(rows.every(Number.isFinite)).toBe(true);
      expect([rows[2], rows[5], rows[8], rows[11]]).toEqual([1, 0, 0, 1]);
      expect(value.metadata?.summaryDescription).toBe(
        'weights\n\nnon-finite values (not bucketed): NaN 1, +Inf 1, -Inf 1',
      );
    },
  );
});

describe('text', () => {
  it("matches TensorBoard's tensor for a unicode string and keeps the empty string", async () => {
    const writer = newWriter();
    const notes = decoder.decode(fixtureValue('text', 'run', 'notes').tensor!.stringVal![0]);
    writer.text('notes', notes, 0);
    writer.text('empty_string', '', 0);
    const [mine, empty] = await valuesOf(writer);
    expect(tensorBytes(mine.value)).toBe(tensorBytes(fixtureValue('text', 'run', 'notes')));
    expect(tensorBytes(empty.value)).toBe(tensorBytes(fixtureValue('text', 'run', 'empty_string')));
    expect(mine.value.metadata).toMatchObject({
      pluginData: { pluginName: 'text' },
      dataClass: DataClass.TENSOR,
    });
  });

  it('writes a list of strings as a rank-1 STRING tensor', async () => {
    const writer = newWriter();
    writer.text('table', ['a', 'ß', '中', '🙂'], 2, { description: 'cells' });
    const [{ value }] = await valuesOf(writer);
    expect(shapeOf(value.tensor!)).toEqual([4]);
    expect(value.tensor!.stringVal!.map((bytes) => decoder.decode(bytes))).toEqual([
      'a',
      'ß',
      '中',
      '🙂',
    ]);
    expect(value.metadata?.summaryDescription).toBe('cells');
  });
});

describe('image', () => {
  /** The pixels of a PNG, `channels` per pixel (pngjs always decodes to RGBA). */
  function pixelsOf(png: Uint8Array, channels: number): number[] {
    const { data } = PNG.sync.read(Buffer.from(png));
    return Array.from(data).filter((_, i) => i % 4 < channels);
  }

  it(
    "matches TensorBoard's tensor layout and pixels " +
      'for a grayscale digit (fixture mnist/digit)',
    async () => {
      const theirs = fixtureValue('images', 'run', 'mnist/digit');
      const [width, height, theirPng] = theirs.tensor!.stringVal!;
      const pixels = Uint8Array.from(pixelsOf(theirPng, 1));
      const writer = newWriter();
      writer.image('mnist/digit', { data: pixels, width: 28, height: 28, channels: 1 }, 0);
      const [{ value }] = await valuesOf(writer);
      const strings = value.tensor!.stringVal!;
      expect(value.tensor?.dtype).toBe(theirs.tensor?.dtype);
      expect(shapeOf(value.tensor!)).toEqual(shapeOf(theirs.tensor!));
      expect([decoder.decode(strings[0]), decoder.decode(strings[1])]).toEqual([
        decoder.decode(width),
        decoder.decode(height),
      ]);
      expect(pixelsOf(strings[2], 1)).toEqual(Array.from(pixels));
      expect(value.metadata).toMatchObject({
        pluginData: { pluginName: theirs.metadata!.pluginData!.pluginName },
        dataClass: DataClass.BLOB_SEQUENCE,
      });
    },
  );

  it('puts width before height and keeps alpha (fixture rgba/half_alpha, 10x6)', async () => {
    const theirs = fixtureValue('images', 'run', 'rgba/half_alpha');
    const pixels = Uint8Array.from(pixelsOf(theirs.tensor!.stringVal![2], 4));
    const writer = newWriter();
    writer.image('rgba/half_alpha', { data: pixels, width: 10, height: 6, channels: 4 }, 0);
    const [{ value }] = await valuesOf(writer);
    const strings = value.tensor!.stringVal!;
    expect(decoder.decode(strings[0])).toBe('10');
    expect(decoder.decode(strings[1])).toBe('6');
    expect(pixelsOf(strings[2], 4)).toEqual(Array.from(pixels));
  });

  it(
    'writes a batch as one value holding every PNG ' +
      'after width and height (fixture batch/three)',
    async () => {
      const theirs = fixtureValue('images', 'run', 'batch/three');
      const pngs = theirs.tensor!.stringVal!.slice(2);
      const writer = newWriter();
      const inputs = pngs.map((png) => ({ png, width: 16, height: 12 }));
      writer.image('batch/three', inputs, 0, { description: theirs.metadata?.summaryDescription });
      const [{ value }] = await valuesOf(writer);
      expect(tensorBytes(value)).toBe(tensorBytes(theirs));
      expect(value.metadata?.summaryDescription).toBe(theirs.metadata?.summaryDescription);
    },
  );

  it('round-trips RGB pixels given as floats in [0, 1]', async () => {
    const writer = newWriter();
    const data = Float32Array.from({ length: 3 * 2 * 3 }, (_, i) => i / 17);
    writer.image('rgb', { data, width: 3, height: 2, channels: 3 }, 1);
    const [{ value }] = await valuesOf(writer);
    expect(pixelsOf(value.tensor!.stringVal![2], 3)).toEqual(
      Array.from(data, (v) => Math.round(v * 255)),
    );
  });
});

describe('tensor', () => {
  it('round-trips float32 values bit-exactly as little-endian tensor_content', async () => {
    const writer = newWriter();
    const values = Float32Array.from([1.5, NaN, Infinity, -Infinity, -0, 1e-45, Math.PI, -7]);
    new Uint32Array(values.buffer)[1] = 0x7fc00abc; // a NaN with a payload
    writer.tensor('activations/dense', values, [2, 2, 2], 4, { role: TensorRole.ACTIVATION });
    const [{ value }] = await valuesOf(writer);
    expect(value.tensor?.dtype).toBe(DataType.FLOAT);
    expect(shapeOf(value.tensor!)).toEqual([2, 2, 2]);
    expect(new Uint32Array(floatsOf(value.tensor!).buffer)).toEqual(new Uint32Array(values.buffer));
  });

  it(
    'writes lensboard metadata completed with the shape ' + "and the writer's worker rank",
    async () => {
      const writer = newWriter({ workerRank: 3, worldSize: 4 });
      writer.tensor('activations/conv1', new Float32Array(6), [1, 2, 3], 0, {
        role: TensorRole.ACTIVATION,
        layerName: 'conv1',
        layerKind: 'Conv2D',
        probeIds: [7],
        probeLabels: [2],
      });
      const [{ value }] = await valuesOf(writer);
      expect(value.metadata?.pluginData?.pluginName).toBe(LENSBOARD_PLUGIN_NAME);
      expect(value.metadata?.dataClass).toBe(DataClass.TENSOR);
      expect(decodeTensorMetadata(value.metadata!.pluginData!.content!)).toMatchObject({
        version: 1,
        role: TensorRole.ACTIVATION,
        layerName: 'conv1',
        layerKind: 'Conv2D',
        shape: [1, 2, 3],
        probeIds: [7],
        probeLabels: [2],
        workerRank: 3,
        worldSize: 4,
      });
    },
  );

  it('repeats the metadata only when it changes from the value before', async () => {
    const writer = newWriter();
    const log = (step: number, predictions: number[]) =>
      writer.tensor('probes/input', new Float32Array(2), [2, 1], step, {
        role: TensorRole.PROBE_INPUT,
        probePredictions: predictions,
      });
    log(0, [1, 2]);
    log(1, [1, 2]);
    log(2, [1, 3]);
    const values = await valuesOf(writer);
    const predictions = values.map(({ value }) =>
      value.metadata
        ? decodeTensorMetadata(value.metadata.pluginData!.content!).probePredictions
        : null,
    );
    expect(predictions).toEqual([[1, 2], null, [1, 3]]);
  });
});

describe("a tag's metadata after a failed call", () => {
  it('refuses a non-string description; the next value still carries the metadata', async () => {
    const writer = newWriter();
    expect(() => writer.text('notes', 'a', 0, { description: 5 as unknown as string })).toThrow(
      new TypeError('invalid description: 5 (want a string)'),
    );
    writer.text('notes', 'b', 1);
    const [{ value }] = await valuesOf(writer);
    expect(value.metadata?.pluginData?.pluginName).toBe('text');
  });

  const grey = { data: new Uint8Array(4), width: 2, height: 2, channels: 1 as const };
  const kinds: [string, (writer: SummaryWriter, step: number) => void, string][] = [
    ['scalar', (w, step) => w.scalar('tag', 1, step), 'scalars'],
    ['histogram', (w, step) => w.histogram('tag', [1, 2], step), 'histograms'],
    ['image', (w, step) => w.image('tag', grey, step), 'images'],
    ['text', (w, step) => w.text('tag', 'x', step), 'text'],
    ['tensor', (w, step) => w.tensor('tag', [1], [1], step), LENSBOARD_PLUGIN_NAME],
  ];

  it.each(kinds)(
    '%s: a value that fails before it is queued leaves the metadata to the next value',
    async (_, log, pluginName) => {
      const writer = newWriter();
      // The last step of a call, queueing the encoded event, fails once.
      const failure = new Error('cannot queue');
      const write = vi.spyOn(EventFileWriter.prototype, 'write').mockImplementationOnce(() => {
        throw failure;
      });
      const writeEncoded = vi
        .spyOn(EventFileWriter.prototype, 'writeEncoded')
        .mockImplementationOnce(() => {
          throw failure;
        });
      try {
        expect(() => log(writer, 0)).toThrow(failure);
      } finally {
        write.mockRestore();
        writeEncoded.mockRestore();
      }
      log(writer, 1);
      log(writer, 2);
      const values = await valuesOf(writer);
      expect(values.map(({ event }) => stepOf(event))).toEqual([1, 2]);
      expect(values.map(({ value }) => value.metadata?.pluginData?.pluginName ?? null)).toEqual([
        pluginName,
        null,
      ]);
    },
  );

  it.each([
    ['a description', { description: 5 }, 'invalid description: 5 (want a string)'],
    ['a displayName', { displayName: ['x'] }, 'invalid displayName: ["x"] (want a string)'],
    ['options', 'a note', 'invalid options: "a note" (want an object)'],
  ])('refuses %s of the wrong type for every kind but scalars', (_, options, message) => {
    const writer = newWriter();
    const bad = options as never;
    expect(() => writer.histogram('h', [1], 0, bad)).toThrow(message);
    expect(() => writer.image('i', grey, 0, bad)).toThrow(message);
    expect(() => writer.text('t', 'x', 0, bad)).toThrow(message);
    expect(() => writer.tensor('r', [1], [1], 0, undefined, bad)).toThrow(message);
  });
});
