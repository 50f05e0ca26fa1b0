/**
 * Test-set accuracy and mean cross-entropy, from a model or from class
 * probabilities computed elsewhere. Work is chunked so that the 10,000 test
 * images never sit in one tensor with all their activations.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { PIXELS } from './dataset.js';
import { tf } from './tf.js';

export interface TestResult {
  accuracy: number;
  loss: number;
}

const CHUNK = 500;

/** `images` holds `labels.length` images of PIXELS floats. */
export function evaluateModel(
  model: tfjs.LayersModel,
  images: Float32Array,
  labels: ArrayLike<number>,
): TestResult {
  return scoreInChunks(labels, (from, n) =>
    tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(from * PIXELS, (from + n) * PIXELS), [n, 28, 28, 1]);
      return model.predict(x) as tfjs.Tensor2D;
    }),
  );
}

/** The same for a layer applied to precomputed inputs `[labels.length, width]`. */
export function evaluateLayer(
  layer: tfjs.layers.Layer,
  inputs: Float32Array,
  width: number,
  labels: ArrayLike<number>,
): TestResult {
  return scoreInChunks(labels, (from, n) =>
    tf.tidy(() => {
      const x = tf.tensor2d(inputs.subarray(from * width, (from + n) * width), [n, width]);
      return layer.apply(x) as tfjs.Tensor2D;
    }),
  );
}

function scoreInChunks(
  labels: ArrayLike<number>,
  predict: (from: number, n: number) => tfjs.Tensor2D,
): TestResult {
  let correct = 0;
  let loss = 0;
  for (let from = 0; from < labels.length; from += CHUNK) {
    const n = Math.min(CHUNK, labels.length - from);
    const probabilities = predict(from, n);
    const values = probabilities.dataSync();
    const classes = probabilities.shape[1];
    probabilities.dispose();
    for (let i = 0; i < n; i++) {
      const row = values.subarray(i * classes, (i + 1) * classes);
      const label = labels[from + i];
      if (argMax(row) === label) correct++;
      loss -= Math.log(Math.max(row[label], 1e-7));
    }
  }
  return { accuracy: correct / labels.length, loss: loss / labels.length };
}

function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
