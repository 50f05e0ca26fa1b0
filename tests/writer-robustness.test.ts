/**
 * The writer's cases from the robustness catalogue (B12, B14, B16, B17, B18,
 * B20, B23, B24, B30a) and the argument errors: logging never breaks training
 * on awkward data, and bad calls fail at once with the argument and its value.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DataClass, type SummaryValue, type TensorMetadata } from '../proto/index.js';
import {
  histogramBuckets,
  MAX_TENSOR_BYTES,
  pixelsToUint8,
  SummaryWriter,
  TensorRole,
  type ImageInput,
} from '../writer/index.js';
import {
  doublesOf,
  floatsOf,
  readEvents,
  readSummaries,
  runChild,
  shapeOf,
  stepOf,
} from './helpers/read-events.js';

let writers: SummaryWriter[] = [];
afterEach(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
  writers = [];
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lb-robust-'));
}

function newWriter(options = {}): SummaryWriter {
  const writer = new SummaryWriter(join(tempDir(), 'run'), options);
  writers.push(writer);
  return writer;
}

async function summaryValues(writer: SummaryWriter): Promise<SummaryValue[]> {
  await writer.flush();
  return readSummaries(writer.filePath).map((event) => event.summary!.value![0]);
}

/** Rows of a histogram value as [left, right, count] triples. */
function rowsOf(value: SummaryValue): number[][] {
  const flat = Array.from(doublesOf(value.tensor!));
  return Array.from({ length: flat.length / 3 }, (_, row) => flat.slice(row * 3, row * 3 + 3));
}

function pixelsOf(value: SummaryValue, index = 0): Uint8Array {
  return PNG.sync.read(Buffer.from(value.tensor!.stringVal![2 + index])).data;
}

describe('B12: many processes start writers in one second into one run tree', () => {
  it('gives each of 8 processes its own file and truncates none', async () => {
    const runDir = join(tempDir(), 'job', 'worker-0');
    const body = `
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)});
      for (let step = 0; step < 50; step++) writer.scalar('loss', process.pid, step);
      await writer.close();
    `;
    const results = await Promise.all(Array.from({ length: 8 }, () => runChild(body)));
    expect(results.map((result) => result.code)).toEqual(Array(8).fill(0));
    const files = readdirSync(runDir);
    expect(new Set(files).size).toBe(8);
    for (const file of files) {
      const summaries = readSummaries(join(runDir, file));
      expect(summaries.map(stepOf)).toEqual(Array.from({ length: 50 }, (_, step) => step));
    }
  });

  it('gives 50 writers of one process in one directory 50 distinct files', async () => {
    const runDir = join(tempDir(), 'run');
    const many = Array.from({ length: 50 }, () => new SummaryWriter(runDir));
    await Promise.all(many.map((writer) => writer.close()));
    expect(new Set(many.map((writer) => writer.filePath)).size).toBe(50);
    expect(readdirSync(runDir)).toHaveLength(50);
  });
});

describe('B14: a histogram at step 0', () => {
  it('carries the histograms plugin metadata TensorBoard needs to draw it', async () => {
    const writer = newWriter();
    writer.histogram('weights/dense/kernel', [0.1, 0.2, 0.3], 0);
    const [event] = readSummaries((await writer.flush(), writer.filePath));
    expect(stepOf(event)).toBe(0);
    expect(event.summary!.value![0].metadata).toMatchObject({
      pluginData: { pluginName: 'histograms' },
      dataClass: DataClass.TENSOR,
    });
    expect(shapeOf(event.summary!.value![0].tensor!)).toEqual([30, 3]);
  });
});

describe('B16: a histogram of 16M values', () => {
  it('is written under a 512 MB heap with exact counts', async () => {
    const runDir = join(tempDir(), 'run');
    const result = await runChild(
      `
      const values = new Float32Array(16 * 1024 * 1024);
      for (let i = 0; i < values.length; i++) values[i] = (i % 1000) - 500;
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)});
      writer.histogram('big', values, 0, { buckets: 100 });
      const plain = Array.from({ length: 4 * 1024 * 1024 }, (_, i) => i % 7);
      writer.histogram('plain', plain, 0);
      await writer.close();
      console.log(JSON.stringify(process.memoryUsage()));
      `,
      { nodeArgs: ['--max-old-space-size=512'] },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [big, plain] = readSummaries(join(runDir, readdirSync(runDir)[0])).map(
      (event) => event.summary!.value![0],
    );
    const bigCounts = rowsOf(big).map((row) => row[2]);
    expect(bigCounts.reduce((sum, count) => sum + count, 0)).toBe(16 * 1024 * 1024);
    expect(bigCounts.every(Number.isInteger)).toBe(true);
    expect(rowsOf(plain).reduce((sum, row) => sum + row[2], 0)).toBe(4 * 1024 * 1024);
  });
});

describe('B17: non-finite and empty histogram input', () => {
  it('never throws and counts [1, NaN, +Inf, -Inf, 2] apart from the buckets', async () => {
    const writer = newWriter();
    expect(() =>
      writer.histogram('mixed', [1, NaN, Infinity, -Infinity, 2], 0, { buckets: 2 }),
    ).not.toThrow();
    const [value] = await summaryValues(writer);
    expect(rowsOf(value)).toEqual([
      [1, 1.5, 1],
      [1.5, 2, 1],
    ]);
    expect(value.metadata?.summaryDescription).toMatch(/NaN 1, \+Inf 1, -Inf 1/);
    expect(histogramBuckets([1, NaN, Infinity, -Infinity, 2], 2)).toMatchObject({
      count: 2,
      nanCount: 1,
      positiveInfinityCount: 1,
      negativeInfinityCount: 1,
    });
  });

  it('writes all-NaN input as a valid empty summary with the NaN count', async () => {
    const writer = newWriter();
    writer.histogram('nan', new Float32Array(10).fill(NaN), 0, { buckets: 3 });
    const [value] = await summaryValues(writer);
    expect(rowsOf(value)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(value.metadata?.summaryDescription).toMatch(/NaN 10/);
  });

  it(
    'writes empty input as k rows of zeros, ' + 'as TensorBoard does (fixture histograms/empty)',
    async () => {
      const writer = newWriter();
      writer.histogram('empty', [], 0, { buckets: 3 });
      const [value] = await summaryValues(writer);
      expect(shapeOf(value.tensor!)).toEqual([3, 3]);
      expect(Array.from(doublesOf(value.tensor!))).toEqual(Array(9).fill(0));
    },
  );

  it('logs NaN and infinite scalars and tensors without throwing', async () => {
    const writer = newWriter();
    writer.scalar('loss', NaN, 0);
    writer.tensor('t', [NaN, Infinity], [2], 0);
    const [scalar, tensor] = await summaryValues(writer);
    expect(floatsOf(scalar.tensor!)[0]).toBeNaN();
    expect(Array.from(floatsOf(tensor.tensor!))).toEqual([NaN, Infinity]);
  });
});

describe('B18: non-float arrays', () => {
  it('converts int32 and bool tensors to float32 with one warning per array type', async () => {
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    try {
      const writer = newWriter();
      writer.tensor('weights/a', new Int32Array([1, -2, 3]), [3], 0);
      writer.tensor('weights/b', new Int32Array([4, 5, 6]), [3], 0);
      writer.tensor('mask', new Uint8Array([1, 0]), [2], 0);
      writer.histogram('counts', new BigInt64Array([1n, 2n]), 0);
      const values = await summaryValues(writer);
      await new Promise((resolve) => setImmediate(resolve));
      expect(Array.from(floatsOf(values[0].tensor!))).toEqual([1, -2, 3]);
      expect(Array.from(floatsOf(values[2].tensor!))).toEqual([1, 0]);
      expect(rowsOf(values[3]).reduce((sum, row) => sum + row[2], 0)).toBe(2);
      expect(warnings.filter((message) => message.includes('Int32Array'))).toHaveLength(1);
      expect(warnings.filter((message) => message.includes('Uint8Array'))).toHaveLength(1);
      expect(warnings.filter((message) => message.includes('BigInt64Array'))).toHaveLength(1);
    } finally {
      process.off('warning', listener);
    }
  });

  it('refuses a plain array with a non-number element with a TypeError, never a NaN', () => {
    const writer = newWriter();
    expect(() => writer.histogram('h', ['0.5'] as unknown as number[], 0)).toThrow(TypeError);
    expect(() => writer.tensor('t', [null] as unknown as number[], [1], 0)).toThrow(TypeError);
  });

  it('takes float64 and plain number arrays without a warning', async () => {
    const warnings: unknown[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const writer = newWriter();
      writer.tensor('a', new Float64Array([0.5, 1.5]), [2], 0);
      writer.tensor('b', [1, 2, 3], [3], 0);
      writer.histogram('c', new Int32Array([1, 2]), 0);
      await writer.flush();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', listener);
    }
  });
});

describe('B20: degenerate histograms', () => {
  it('draws 1000 zeros (a dead ReLU) as a visible spike with finite, ordered edges', async () => {
    const writer = newWriter();
    writer.histogram('dead_relu', new Float32Array(1000), 0, { buckets: 5 });
    const [value] = await summaryValues(writer);
    const rows = rowsOf(value);
    expect(rows.flat().every(Number.isFinite)).toBe(true);
    const spike = rows.find((row) => row[2] > 0)!;
    expect(spike[2]).toBe(1000);
    expect(spike[0]).toBeLessThanOrEqual(0);
    expect(spike[1]).toBeGreaterThan(0);
    expect(spike[1] - spike[0]).toBeGreaterThan(0);
    for (let row = 1; row < rows.length; row++) expect(rows[row][0]).toBe(rows[row - 1][1]);
  });

  it('keeps every edge finite and ordered when max - min overflows (near ±1.8e308)', async () => {
    const writer = newWriter();
    writer.histogram('extremes', [-1.7e308, 1.7e308], 0);
    const [value] = await summaryValues(writer);
    const rows = rowsOf(value);
    expect(rows.flat().every(Number.isFinite)).toBe(true);
    expect(rows[0][0]).toBe(-1.7e308);
    expect(rows[29][1]).toBe(1.7e308);
    for (const [row, [left, right]] of rows.entries()) {
      expect(left).toBeLessThan(right);
      if (row > 0) expect(left).toBe(rows[row - 1][1]);
    }
    expect(rows.map((row) => row[2])).toEqual([1, ...Array(28).fill(0), 1]);
  });

  it('puts every value in its own bucket across the whole float64 range', () => {
    const max = Number.MAX_VALUE;
    const { rows } = histogramBuckets([-max, -0.3 * max, 0.1 * max, 0.6 * max, max], 4);
    expect(Array.from(rows).every(Number.isFinite)).toBe(true);
    expect([2, 5, 8, 11].map((at) => rows[at])).toEqual([1, 1, 1, 2]);
  });

  it('counts a range narrower than any normal bucket width (subnormal values)', () => {
    const { rows, count } = histogramBuckets([0, 5e-324, 5e-324], 4);
    expect(Array.from(rows).every(Number.isFinite)).toBe(true);
    expect(count).toBe(3);
    expect([2, 5, 8, 11].map((at) => rows[at])).toEqual([1, 0, 0, 2]);
  });

  it('keeps the spike of a constant ±Number.MAX_VALUE finite', () => {
    for (const value of [Number.MAX_VALUE, -Number.MAX_VALUE]) {
      const { rows } = histogramBuckets([value, value], 3);
      expect(Array.from(rows).every(Number.isFinite)).toBe(true);
      expect([2, 5, 8].map((at) => rows[at]).reduce((sum, n) => sum + n)).toBe(2);
    }
  });

  it('draws one value as a spike around it', () => {
    const { rows } = histogramBuckets([1e9], 4);
    const filled = [0, 1, 2, 3].filter((row) => rows[row * 3 + 2] === 1);
    expect(filled).toHaveLength(1);
    const row = filled[0];
    expect(rows[row * 3]).toBeLessThanOrEqual(1e9);
    expect(rows[row * 3 + 1]).toBeGreaterThan(1e9);
  });
});

describe('B23: image value ranges', () => {
  const gray = (data: Uint8Array | Float32Array): ImageInput => ({
    data,
    width: 2,
    height: 2,
    channels: 1 as const,
  });

  it('passes uint8 pixels unchanged, all 255 included', async () => {
    const writer = newWriter();
    writer.image('u8', gray(new Uint8Array([255, 255, 255, 255])), 0);
    writer.image('u8b', gray(new Uint8Array([0, 7, 128, 255])), 0);
    const [white, mixed] = await summaryValues(writer);
    expect(everyNth(pixelsOf(white), 4)).toEqual([255, 255, 255, 255]);
    expect(everyNth(pixelsOf(mixed), 4)).toEqual([0, 7, 128, 255]);
  });

  it('scales float pixels in [0, 1] by 255, rounded: all 1.0 is white', async () => {
    const writer = newWriter();
    writer.image('ones', gray(new Float32Array([1, 1, 1, 1])), 0);
    writer.image('unit', gray(new Float32Array([0, 0.5, 0.2, 1])), 0);
    const [ones, unit] = await summaryValues(writer);
    expect(everyNth(pixelsOf(ones), 4)).toEqual([255, 255, 255, 255]);
    expect(everyNth(pixelsOf(unit), 4)).toEqual([0, 128, 51, 255]);
  });

  it('min-max normalises non-negative floats beyond 1, so [0, 255] keeps its values', async () => {
    const writer = newWriter();
    writer.image('bytes_as_float', gray(new Float32Array([0, 10, 100, 255])), 0);
    const [value] = await summaryValues(writer);
    expect(everyNth(pixelsOf(value), 4)).toEqual([0, 10, 100, 255]);
    expect(Array.from(pixelsToUint8(new Float32Array([2, 4, 6, 2]), 1))).toEqual([0, 128, 255, 0]);
  });
});

describe('B24: activation maps and alpha', () => {
  it(
    'scales a signed 1x28x28 map in [-2, 6] symmetrically: ' + '0 is mid-grey, 6 is white',
    async () => {
      const data = Float32Array.from({ length: 28 * 28 }, (_, i) =>
        i === 0 ? -2 : i === 1 ? 6 : 0,
      );
      const writer = newWriter();
      writer.image('activation', { data, width: 28, height: 28, channels: 1 }, 0);
      const [value] = await summaryValues(writer);
      const pixels = everyNth(pixelsOf(value), 4);
      expect(pixels.slice(0, 3)).toEqual([85, 255, 128]);
    },
  );

  it('keeps the alpha of a 2x2 RGBA image with half its pixels transparent', async () => {
    const rgba = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 255, 0, 9, 9, 9, 255]);
    const writer = newWriter();
    writer.image('rgba', { data: rgba, width: 2, height: 2, channels: 4 }, 0);
    writer.image(
      'rgba_float',
      { data: Float32Array.from(rgba, (v) => v / 255), width: 2, height: 2, channels: 4 },
      0,
    );
    const [bytes, floats] = await summaryValues(writer);
    expect(Array.from(pixelsOf(bytes))).toEqual(Array.from(rgba));
    expect(Array.from(pixelsOf(floats))).toEqual(Array.from(rgba));
  });
});

describe('channel counts', () => {
  it('writes grey+alpha (2 channels), listed in the error beside 1, 3 and 4', async () => {
    const writer = newWriter();
    const data = new Uint8Array([10, 255, 20, 0]);
    writer.image('grey_alpha', { data, width: 2, height: 1, channels: 2 }, 0);
    const [value] = await summaryValues(writer);
    // pngjs reads every PNG back as RGBA: grey in R, G and B, alpha kept.
    expect(Array.from(pixelsOf(value))).toEqual([10, 10, 10, 255, 20, 20, 20, 0]);
  });
});

describe('B30a: the raw tensor cap', () => {
  it('refuses a tensor above 256 MiB with its tag, shape and the cap, before copying it', () => {
    const writer = newWriter();
    const shape = [8193, 8192];
    const values = { length: 8193 * 8192 } as ArrayLike<number>;
    expect(8193 * 8192 * 4).toBeGreaterThan(MAX_TENSOR_BYTES);
    expect(() => writer.tensor('huge', values, shape, 0)).toThrow(
      /tensor "huge" of shape \[8193, 8192\] is 268468224 bytes .* 268435456-byte cap/,
    );
  });
});

describe('bad arguments', () => {
  const cases: [string, (writer: SummaryWriter) => void, RegExp | string][] = [
    ['an empty tag', (w) => w.scalar('', 1, 0), /invalid tag: ""/],
    ['a non-string tag', (w) => w.scalar(7 as unknown as string, 1, 0), /invalid tag: 7/],
    ['a NaN step', (w) => w.scalar('loss', 1, NaN), /invalid step: NaN/],
    ['a negative step', (w) => w.scalar('loss', 1, -1), /invalid step: -1/],
    ['a fractional step', (w) => w.histogram('h', [1], 1.5), /invalid step: 1.5/],
    ['an unsafe step', (w) => w.text('t', 'x', 2 ** 53), /invalid step: 9007199254740992/],
    [
      'a non-number scalar',
      (w) => w.scalar('loss', '1' as unknown as number, 0),
      /invalid scalar value: "1"/,
    ],
    [
      'an infinite wall time',
      (w) => w.scalar('loss', 1, 0, Infinity),
      /invalid wallTime: Infinity/,
    ],
    [
      'a shape that disagrees with the values',
      (w) => w.tensor('t', [1, 2, 3], [2, 2], 0),
      /got 3 values, want 4 for shape \[2, 2\]/,
    ],
    ['a negative shape', (w) => w.tensor('t', [], [-1], 0), /invalid shape: \[-1\]/],
    [
      'pixels that disagree with the image size',
      (w) => w.image('i', { data: new Uint8Array(5), width: 2, height: 2, channels: 1 }, 0),
      /images\[0\].data: got 5 values, want 4 \(2x2x1\)/,
    ],
    [
      'a PNG whose header disagrees with the size given',
      (w) => w.image('i', { png: onePixelPng(), width: 3, height: 1 }, 0),
      /PNG is 1x1, but 3x1 was given/,
    ],
    [
      'images of different sizes in one batch',
      (w) =>
        w.image(
          'i',
          [
            { data: new Uint8Array(4), width: 2, height: 2, channels: 1 },
            { data: new Uint8Array(2), width: 2, height: 1, channels: 1 },
          ],
          0,
        ),
      /images\[1\]: 2x1, want 2x2/,
    ],
    [
      'a text that is not a string',
      (w) => w.text('t', [1] as unknown as string[], 0),
      /invalid text\[0\]: 1/,
    ],
    ['a bucket count of 0', (w) => w.histogram('h', [1], 0, { buckets: 0 }), /invalid buckets: 0/],
    [
      'a bucket count given as a string',
      (w) => w.histogram('h', [1], 0, { buckets: '5' as unknown as number }),
      /invalid buckets: "5" \(want an integer from 1 to 1048576\)/,
    ],
    [
      'a string among histogram values',
      (w) => w.histogram('h', [1, 'x', 2] as unknown as number[], 0),
      /invalid histogram values of "h": "x" at index 1 \(want a number/,
    ],
    [
      'nested arrays as tensor values',
      (w) =>
        w.tensor(
          't',
          [
            [1, 2],
            [3, 4],
          ] as unknown as number[],
          [2],
          0,
        ),
      /invalid tensor values of "t": \[1, 2\] at index 0 \(want a number/,
    ],
    [
      'a hole in a plain array',
      (w) => w.histogram('h', [1, , 3], 0),
      /invalid histogram values of "h": undefined at index 1/,
    ],
    [
      'a boolean in a plain array',
      (w) => w.tensor('mask', [1, true] as unknown as number[], [2], 0),
      /invalid tensor values of "mask": true at index 1/,
    ],
    [
      'a shape of strings',
      (w) => w.tensor('t', [1, 2, 3, 4], ['4'] as unknown as number[], 0),
      /invalid shape: \["4"\] \(sizes must be integers >= 0\)/,
    ],
    [
      'null histogram values',
      (w) => w.histogram('h', null as unknown as number[], 0),
      /invalid histogram values of "h": null \(want an array/,
    ],
    [
      'an unknown image scaling',
      (w) => w.image('i', grey(new Float32Array(4)), 0, { scaling: 'minmx' as 'minmax' }),
      /invalid scaling: "minmx" \(want "auto", "unit", "symmetric" or "minmax"\)/,
    ],
    [
      'an unknown image scaling on uint8 pixels, which are never scaled',
      (w) => w.image('i', grey(new Uint8Array(4)), 0, { scaling: 'none' as 'unit' }),
      /invalid scaling: "none"/,
    ],
    [
      'a channel count outside 1 to 4',
      (w) => w.image('i', { data: new Uint8Array(10), width: 2, height: 1, channels: 5 as 4 }, 0),
      /invalid images\[0\].channels: 5 \(want 1, 2, 3 or 4: grey, grey\+alpha, RGB or RGBA\)/,
    ],
    [
      'an unknown tensor role',
      (w) => w.tensor('t', [1], [1], 0, { role: 42 }),
      /invalid metadata.role: 42 \(want a TensorRole: an integer from 0 to 8/,
    ],
    [
      'a tensor role given by its name',
      (w) => w.tensor('t', [1], [1], 0, { role: 'ACTIVATION' as unknown as TensorRole }),
      /invalid metadata.role: "ACTIVATION"/,
    ],
    [
      'a description given as tensor metadata, where it would be dropped',
      (w) => w.tensor('t', [1], [1], 0, { description: 'x' } as TensorMetadata),
      'invalid metadata: { description: "x" } (unknown key "description"; ' +
        'description is an option: pass it in options, the argument after metadata)',
    ],
    [
      'an unknown tensor metadata field',
      (w) => w.tensor('t', [1], [1], 0, { layer: 'conv1' } as TensorMetadata),
      'invalid metadata: { layer: "conv1" } (unknown key "layer"; ' +
        'want keys among version, role, layerName',
    ],
    ...(
      [
        ['histogram', (w) => w.histogram('h', [1], 0, { description: 5 } as never)],
        ['tensor', (w) => w.tensor('t', [1], [1], 0, undefined, { description: 5 } as never)],
        ['text', (w) => w.text('t', 'x', 0, { description: 5 } as never)],
        ['image', (w) => w.image('i', grey(new Uint8Array(4)), 0, { description: 5 } as never)],
      ] as [string, (writer: SummaryWriter) => void][]
    ).map(([kind, call]): [string, (writer: SummaryWriter) => void, RegExp] => [
      `a non-string ${kind} description`,
      call,
      /invalid description: 5 \(want a string\)/,
    ]),
    [
      'a misspelt histogram option',
      (w) => w.histogram('h', [1], 0, { bucket: 5 } as never),
      'invalid options: { bucket: 5 } (unknown key "bucket"; ' +
        'want keys among description, displayName, wallTime, buckets)',
    ],
    [
      "an option of another kind (an image's scaling for a text)",
      (w) => w.text('t', 'x', 0, { scaling: 'unit' } as never),
      /invalid options: \{ scaling: "unit" \} \(unknown key "scaling"/,
    ],
  ];

  it.each(cases)(
    '%s throws at once, naming the argument and value, and queues nothing',
    async (_, call, message) => {
      const writer = newWriter();
      writer.scalar('before', 1, 0);
      expect(() => call(writer)).toThrow(message);
      await writer.flush();
      expect(readEvents(writer.filePath)).toHaveLength(2);
    },
  );

  it('throws TypeError for wrong types and RangeError for wrong values', () => {
    const writer = newWriter();
    expect(() => writer.scalar('', 1, 0)).toThrow(TypeError);
    expect(() => writer.scalar('loss', 1, -3)).toThrow(RangeError);
  });
});

function grey(data: Uint8Array | Float32Array): ImageInput {
  return { data, width: 2, height: 2, channels: 1 };
}

function everyNth(bytes: Uint8Array, n: number): number[] {
  return Array.from(bytes).filter((_, i) => i % n === 0);
}

function onePixelPng(): Uint8Array {
  const png = new PNG({ width: 1, height: 1 });
  png.data.fill(255);
  return PNG.sync.write(png);
}
