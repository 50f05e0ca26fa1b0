// The MNIST job's data layer: IDX parsing, the packaged data set, partitions
// and the arithmetic on weight lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../examples/mnist/dataset.js';
import { IdxFormatError, parseIdx, readIdxFile } from '../examples/mnist/idx.js';
import { classCounts, partition } from '../examples/mnist/partition.js';
import { averageWeights, divergence } from '../examples/mnist/weights-math.js';

function idx(magic: number, dims: number[], payload: number): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + payload);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return bytes;
}

describe('IDX parser', () => {
  it('reads the shape and bytes of a well-formed file', () => {
    const bytes = idx(0x0803, [2, 3, 4], 24);
    bytes[4 + 12 + 5] = 200;
    const parsed = parseIdx(bytes, 'ok.idx', 3);
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(parsed.data.length).toBe(24);
    expect(parsed.data[5]).toBe(200);
  });

  it('rejects a bad magic number, naming the file and both values', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idx-'));
    const file = path.join(dir, 'train-images-idx3-ubyte');
    writeFileSync(file, idx(0x0801, [1, 28, 28], 784));
    expect(() => readIdxFile(file, 3)).toThrow(IdxFormatError);
    expect(() => readIdxFile(file, 3)).toThrow(
      `invalid IDX file ${file}: magic number got 0x00000801, want 0x00000803`,
    );
  });

  it('rejects a file shorter than its header says, naming the file', () => {
    const bytes = idx(0x0803, [2, 28, 28], 784 * 2).subarray(0, 16 + 1000);
    expect(() => parseIdx(bytes, 'short-images', 3)).toThrow(
      'invalid IDX file short-images: payload got 1000 bytes, want 1568 for shape 2x28x28',
    );
  });

  it('rejects a file cut inside its header', () => {
    expect(() => parseIdx(new Uint8Array(6), 'labels', 1)).toThrow(
      'invalid IDX file labels: got 6 bytes, want a 8-byte header',
    );
  });
});

describe('the packaged MNIST data', () => {
  it('holds 60,000 training and 10,000 test images with labels 0..9', () => {
    const { train, test } = loadMnist();
    expect([train.count, test.count]).toEqual([60_000, 10_000]);
    expect(train.pixels.length).toBe(60_000 * 784);
    expect(classCounts(test.labels, Array.from(test.labels.keys())).every((n) => n > 800)).toBe(
      true,
    );
  });
});

describe('partitions', () => {
  const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 10);
  const pool = Array.from({ length: 200 }, (_, i) => i);

  it('by-class gives each of two workers only its five classes, all of their examples', () => {
    const [a, b] = partition(labels, pool, 2, 'by-class', 3);
    expect(a.classes).toEqual([0, 1, 2, 3, 4]);
    expect(b.classes).toEqual([5, 6, 7, 8, 9]);
    expect(a.indices.length + b.indices.length).toBe(200);
    expect(a.indices.every((i) => labels[i] < 5)).toBe(true);
  });

  it('iid deals disjoint equal shares that cover every class', () => {
    const shards = partition(labels, pool, 4, 'iid', 3);
    expect(shards.map((s) => s.indices.length)).toEqual([50, 50, 50, 50]);
    expect(new Set(shards.flatMap((s) => s.indices)).size).toBe(200);
    expect(shards.every((s) => s.classes.length === 10)).toBe(true);
  });

  it('refuses a worker count outside 1..10 with the value', () => {
    expect(() => partition(labels, pool, 11, 'iid', 1)).toThrow('invalid worker count: 11');
  });
});

describe('weight arithmetic', () => {
  it('averages weight lists element-wise', () => {
    const avg = averageWeights([
      [Float32Array.of(1, 2), Float32Array.of(10)],
      [Float32Array.of(3, 6), Float32Array.of(20)],
    ]);
    expect(avg.map((a) => Array.from(a))).toEqual([[2, 4], [15]]);
  });

  it('measures divergence per layer as norm of difference over norm of average', () => {
    const names = ['dense/kernel', 'dense/bias'];
    const [first, second] = divergence(
      [
        [Float32Array.of(3, 0), Float32Array.of(0)],
        [Float32Array.of(5, 0), Float32Array.of(0)],
      ],
      names,
    );
    expect(first.get('dense')).toBeCloseTo(1 / 4);
    expect(second.get('dense')).toBeCloseTo(1 / 4);
  });
});
