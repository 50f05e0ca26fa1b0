/**
 * Weights, class templates, filter grids and gradients read back from the
 * event file: templates follow the graph back through Flatten to the input's
 * layout, colours are red negative / white zero / blue positive, odd weights
 * never throw, and nothing leaks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TensorRole } from '../proto/index.js';
import { SummaryWriter } from '../writer/index.js';
import { logGradients, logWeights, templateLayout } from '../writer/tfjs/index.js';
import {
  descriptionOf,
  floatsOf,
  imagesOf,
  metadataOf,
  only,
  readRun,
  shapeOf,
  tagsOf,
  valuesOf,
} from './tfjs-events.js';

async function logged(model: tf.LayersModel, options = {}) {
  const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-w-'));
  const writer = new SummaryWriter(runDir);
  const before = tf.memory().numTensors;
  await logWeights(writer, model, 4, options);
  const leaked = tf.memory().numTensors - before;
  // Every test through here asserts that logging leaked no tensor.
  expect(leaked).toBe(0);
  await writer.close();
  return { values: readRun(runDir), leaked };
}

function setWeights(layer: tf.layers.Layer, values: number[][], shapes: number[][]) {
  const tensors = values.map((v, i) => tf.tensor(v, shapes[i]));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

function pixel(png: Uint8Array, x: number, y: number): number[] {
  const image = PNG.sync.read(Buffer.from(png));
  const at = (y * image.width + x) * 4;
  return Array.from(image.data.subarray(at, at + 3));
}

describe('logWeights', () => {
  it(
    'logs a dense layer after a Flatten of a conv feature map ' +
      'as [units, channels, height, width] templates',
    async () => {
      const model = tf.sequential();
      model.add(
        tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 2, name: 'conv' }),
      );
      model.add(tf.layers.flatten({ name: 'flat' }));
      model.add(tf.layers.dense({ units: 2, name: 'head' }));
      // The flat input i of the [2, 2, 2] map is (y * 2 + x) * 2 + c; unit u gets (u ? -i : i).
      const kernel = Array.from({ length: 16 }, (_, n) => (n % 2 ? -1 : 1) * Math.floor(n / 2));
      setWeights(model.layers[2], [kernel, [0, 0]], [[8, 2], [2]]);

      const { values, leaked } = await logged(model);
      expect(leaked).toBe(0);
      const templates = only(values, 'templates/head', 4);
      expect(shapeOf(templates)).toEqual([2, 2, 2, 2]);
      // Channel 0 is inputs 0, 2, 4, 6; channel 1 is inputs 1, 3, 5, 7.
      expect(floatsOf(templates)).toEqual([0, 2, 4, 6, 1, 3, 5, 7, -0, -2, -4, -6, -1, -3, -5, -7]);
      expect(metadataOf(values, 'templates/head')).toMatchObject({
        role: TensorRole.CLASS_TEMPLATE,
        layerName: 'head',
        layerKind: 'Dense',
        shape: [2, 2, 2, 2],
      });
      model.dispose();
    },
  );

  it(
    'shapes the templates of a dense layer ' + 'right after a Flatten of a 28x28x1 input as 28x28',
    () => {
      const model = tf.sequential();
      model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
      model.add(tf.layers.dense({ units: 3 }));
      expect(templateLayout(model.layers[1], 784)).toEqual({ shape: [28, 28], channels: 1 });
      model.dispose();
    },
  );

  it(
    'follows Reshape and Flatten back to the structured shape, ' +
      'and keeps unflattened inputs as vectors',
    () => {
      const input = tf.input({ shape: [784] });
      const image = tf.layers
        .reshape({ targetShape: [28, 28, 1] })
        .apply(input) as tf.SymbolicTensor;
      const flat = tf.layers.flatten().apply(image) as tf.SymbolicTensor;
      const viaReshape = tf.layers.dense({ units: 2 });
      const direct = tf.layers.dense({ units: 2 });
      tf.model({
        inputs: input,
        outputs: [viaReshape.apply(flat), direct.apply(input)] as tf.SymbolicTensor[],
      });
      expect(templateLayout(viaReshape, 784).shape).toEqual([28, 28]);
      expect(templateLayout(direct, 784).shape).toEqual([784]);
    },
  );

  it.each([
    ['a Dropout', () => [tf.layers.dropout({ rate: 0.5 })]],
    ['an Activation', () => [tf.layers.activation({ activation: 'relu' })]],
    ['a BatchNormalization', () => [tf.layers.batchNormalization()]],
    [
      'a LayerNormalization and a GaussianNoise',
      () => [tf.layers.layerNormalization(), tf.layers.gaussianNoise({ stddev: 0.1 })],
    ],
  ])(
    'keeps the [units, channels, height, width] layout through %s between Flatten and Dense',
    async (_, between) => {
      const model = tf.sequential();
      model.add(
        tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 2, name: 'conv' }),
      );
      model.add(tf.layers.flatten({ name: 'flat' }));
      for (const layer of between()) model.add(layer);
      model.add(tf.layers.dense({ units: 2, name: 'head' }));
      const { values, leaked } = await logged(model);
      expect(leaked).toBe(0);
      expect(shapeOf(only(values, 'templates/head', 4))).toEqual([2, 2, 2, 2]);
      model.dispose();
    },
  );

  it("keeps a flattened image's layout through shape-keeping layers after Flatten", () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.leakyReLU());
    model.add(tf.layers.dense({ units: 3 }));
    expect(templateLayout(model.layers[3], 784)).toEqual({ shape: [28, 28], channels: 1 });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a dense input that a layer of another kind changed as a vector', () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [4, 4, 1] }));
    model.add(tf.layers.dense({ units: 16 }));
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.dense({ units: 3 }));
    expect(templateLayout(model.layers[3], 16)).toEqual({ shape: [16], channels: 1 });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it(
    'draws templates red for negative, white for zero and blue for positive, ' +
      'with the scale described',
    async () => {
      const model = tf.sequential();
      model.add(tf.layers.dense({ inputShape: [3], units: 1, name: 'lin' }));
      setWeights(model.layers[0], [[-2, 0, 2], [0]], [[3, 1], [1]]);
      const { values } = await logged(model);
      const { pngs } = imagesOf(only(values, 'template_images/lin', 4));
      expect(pngs).toHaveLength(1);
      // A 3-vector wraps into a 2x2 tile, enlarged 8x per cell (56 px wanted, 8x at most).
      const [red, white, blue] = [pixel(pngs[0], 0, 0), pixel(pngs[0], 8, 0), pixel(pngs[0], 0, 8)];
      expect(red[0]).toBeGreaterThan(100);
      expect(red[2]).toBeLessThan(60);
      // RdBu's middle is rgb(242, 239, 238), a warm white.
      expect(Math.min(...white)).toBeGreaterThan(230);
      expect(blue[2]).toBeGreaterThan(blue[0] + 60);
      expect(descriptionOf(values, 'template_images/lin')).toContain(
        'red = -2, white = 0, blue = +2',
      );
    },
  );

  it(
    'logs every variable raw and as a histogram, ' + 'and conv kernels as a grid of filters',
    async () => {
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, name: 'c' }));
      const { values } = await logged(model);
      const kernel = only(values, 'weights/c/kernel', 4);
      expect(shapeOf(kernel)).toEqual([3, 3, 2, 3]);
      expect(metadataOf(values, 'weights/c/kernel')).toMatchObject({
        role: TensorRole.WEIGHT,
        weightName: 'kernel',
      });
      expect(tagsOf(values)).toContain('weights/c/bias');
      expect(tagsOf(values)).toContain('weight_histograms/c/kernel');
      // Rows are the 2 input channels, columns the 3 filters: 3x3 tiles enlarged 8x.
      const grid = imagesOf(only(values, 'filters/c', 4));
      expect([grid.width, grid.height]).toEqual([3 * 24 + 2, 2 * 24 + 1]);
      model.dispose();
    },
  );

  it(
    'logs templates under the same tags ' + 'for a second model with the same layer names',
    async () => {
      // tfjs renames the second model's variables `lin/kernel_1`; tags must not follow.
      const models = [0, 1].map(() => {
        const model = tf.sequential();
        model.add(tf.layers.dense({ inputShape: [4], units: 2, name: 'lin' }));
        return model;
      });
      const { values } = await logged(models[1]);
      expect([...tagsOf(values)]).toEqual(
        expect.arrayContaining(['weights/lin/kernel', 'weights/lin/bias', 'templates/lin']),
      );
      expect(metadataOf(values, 'templates/lin')).toMatchObject({
        role: TensorRole.CLASS_TEMPLATE,
      });
      models.forEach((model) => model.dispose());
    },
  );

  it('never throws on NaN or infinite weights', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [2], units: 2, name: 'bad' }));
    setWeights(
      model.layers[0],
      [
        [NaN, Infinity, -Infinity, 1],
        [0, NaN],
      ],
      [[2, 2], [2]],
    );
    const errors: Error[] = [];
    const { values } = await logged(model, { onError: (e: Error) => errors.push(e) });
    expect(errors).toEqual([]);
    expect(floatsOf(only(values, 'weights/bad/kernel', 4))).toEqual([NaN, Infinity, -Infinity, 1]);
    expect(valuesOf(values, 'template_images/bad')).toHaveLength(1);
    model.dispose();
  });

  it(
    'converts integer and boolean weights to float32 with one warning per dtype, ' +
      'and keeps logging the rest',
    async () => {
      // A custom layer may keep int or bool state beside its float weights.
      const state = {
        kernel: tf.tensor2d([0.5, -1], [2, 1]),
        counter: tf.tensor1d([3, 4], 'int32'),
        mask: tf.tensor1d([1, 0], 'bool'),
        seen: tf.tensor1d([5], 'int32'),
      };
      const weights = Object.entries(state).map(([name, tensor]) => ({
        name: `custom/${name}`,
        shape: tensor.shape,
        dtype: tensor.dtype,
        read: () => tensor,
      }));
      const layer = { name: 'custom', weights, getClassName: () => 'Custom' };
      const model = { name: 'm', layers: [layer] } as unknown as tf.LayersModel;
      const warnings: string[] = [];
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-w-'));
      const writer = new SummaryWriter(runDir);
      await logWeights(writer, model, 1, { onWarning: (m) => warnings.push(m) });
      await logWeights(writer, model, 2, { onWarning: (m) => warnings.push(m) });
      await writer.close();
      const values = readRun(runDir);
      expect(floatsOf(only(values, 'weights/custom/counter', 2))).toEqual([3, 4]);
      expect(floatsOf(only(values, 'weights/custom/mask', 2))).toEqual([1, 0]);
      expect(floatsOf(only(values, 'weights/custom/kernel', 2))).toEqual([0.5, -1]);
      expect(floatsOf(only(values, 'weights/custom/seen', 2))).toEqual([5]);
      expect(warnings).toEqual([
        '"custom/counter" is int32: logging it, and any other int32 tensor, as float32',
        '"custom/mask" is bool: logging it, and any other bool tensor, as float32',
      ]);
      tf.dispose(state);
    },
  );
});

describe('logGradients', () => {
  it(
    'logs each gradient L2 norm as a scalar ' + 'and its values as a histogram, disposing nothing',
    async () => {
      const model = tf.sequential();
      model.add(tf.layers.dense({ inputShape: [2], units: 2, name: 'dense' }));
      const [kernel, bias] = model.layers[0].weights.map((variable) => variable.name);
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-g-'));
      const writer = new SummaryWriter(runDir);
      const grads = {
        [kernel]: tf.tensor2d([3, 0, 0, 4], [2, 2]),
        [bias]: tf.tensor1d([NaN, 1]),
      };
      const before = tf.memory().numTensors;
      await logGradients(writer, model, grads, 9);
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();
      const values = readRun(runDir);
      expect(floatsOf(only(values, 'gradient_norms/dense/kernel', 9))).toEqual([5]);
      expect(floatsOf(only(values, 'gradient_norms/dense/bias', 9))).toEqual([NaN]);
      expect(tagsOf(values)).toContain('gradients/dense/kernel');
      expect(grads[kernel].isDisposed).toBe(false);
      tf.dispose(grads);
      model.dispose();
    },
  );

  it(
    'names gradients <layer>/<weight> as weights are named, ' +
      'not by the variable names tfjs makes unique per process',
    async () => {
      // The second model's variables are `lin/kernel_<n>`: tfjs uniquifies them.
      const models = [0, 1].map(() => {
        const model = tf.sequential();
        model.add(tf.layers.dense({ inputShape: [2], units: 1, name: 'lin' }));
        return model;
      });
      const model = models[1];
      expect(model.layers[0].weights[0].name).not.toBe('lin/kernel');
      const x = tf.ones([1, 2]);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(
        () => tf.tidy(() => (model.predict(x) as tf.Tensor).sum() as tf.Scalar),
        model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      );
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-g-names-'));
      const writer = new SummaryWriter(runDir);
      await logGradients(writer, model, grads, 1);
      await logWeights(writer, model, 1);
      tf.dispose([value, grads]);
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();

      const tags = [...tagsOf(readRun(runDir))];
      expect(tags.filter((tag) => tag.startsWith('gradient_norms/')).sort()).toEqual([
        'gradient_norms/lin/bias',
        'gradient_norms/lin/kernel',
      ]);
      expect(tags).toEqual(expect.arrayContaining(['gradients/lin/kernel', 'weights/lin/kernel']));
      x.dispose();
      models.forEach((m) => m.dispose());
    },
  );

  it('logs a gradient of no model variable under its own name, with one warning', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [2], units: 1, name: 'lin' }));
    const grads = { 'free/w': tf.tensor1d([3, 4]), 'free/v': tf.tensor1d([0]) };
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-g-free-'));
    const writer = new SummaryWriter(runDir);
    const warnings: string[] = [];
    const before = tf.memory().numTensors;
    await logGradients(writer, model, grads, 0, { onWarning: (m) => warnings.push(m) });
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();
    expect(floatsOf(only(readRun(runDir), 'gradient_norms/free/w', 0))).toEqual([5]);
    expect(warnings).toEqual([
      `gradient "free/w" is of no variable of model "${model.name}": ` +
        'logging it, and any other such gradient, under its own name',
    ]);
    tf.dispose(grads);
    model.dispose();
  });

  it('takes the deprecated (writer, grads, step), warning once of its tfjs names', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-g-old-'));
    const writer = new SummaryWriter(runDir);
    const grads = { 'dense/kernel': tf.tensor2d([3, 0, 0, 4], [2, 2]) };
    const warnings: string[] = [];
    const before = tf.memory().numTensors;
    for (const step of [0, 1]) {
      await logGradients(writer, grads, step, { onWarning: (m) => warnings.push(m) });
    }
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();
    expect(floatsOf(only(readRun(runDir), 'gradient_norms/dense/kernel', 1))).toEqual([5]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^logGradients\(writer, grads, step\) is deprecated/);
    tf.dispose(grads);
  });
});
