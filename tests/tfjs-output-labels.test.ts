/**
 * Class labels of output units, read back from the event file: the output
 * layer's activations and the class templates, kernel and bias of the Dense
 * layer that makes them carry `unitLabels`; other layers do not; a list of
 * the wrong length is reported through onError and the units are still logged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SummaryWriter } from '../writer/index.js';
import {
  lensboardCallback,
  logActivations,
  logWeights,
  type OutputLabelOptions,
} from '../writer/tfjs/index.js';
import { descriptionOf, metadataOf, readRun, tagsOf } from './tfjs-events.js';

/** A conv trunk under a Dense of `units` units, softmax fused or as its own layer. */
function classifier(units: number, separateSoftmax = false): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, name: 'conv' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(
    tf.layers.dense({ units, activation: separateSoftmax ? 'linear' : 'softmax', name: 'out' }),
  );
  if (separateSoftmax) model.add(tf.layers.activation({ activation: 'softmax', name: 'probs' }));
  return model;
}

async function logBoth(model: tf.LayersModel, options: OutputLabelOptions & object) {
  const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-labels-'));
  const writer = new SummaryWriter(runDir);
  const x = tf.randomUniform([2, 4, 4, 1]);
  const errors: Error[] = [];
  const all = { ...options, onError: (error: Error) => errors.push(error) };
  const before = tf.memory().numTensors;
  await logActivations(writer, model, { x, ids: [10, 11], labels: [5, 7] }, 0, all);
  await logWeights(writer, model, 0, all);
  expect(tf.memory().numTensors).toBe(before);
  await writer.close();
  x.dispose();
  model.dispose();
  return { values: readRun(runDir), errors };
}

describe('outputLabels', () => {
  it(
    'writes the labels on the output activations ' + 'and the dense templates, kernel and bias',
    async () => {
      const { values, errors } = await logBoth(classifier(5), { outputLabels: [5, 6, 7, 8, 9] });
      expect(errors).toEqual([]);
      const want = ['5', '6', '7', '8', '9'];
      for (const tag of [
        'activations/out',
        'templates/out',
        'weights/out/kernel',
        'weights/out/bias',
      ]) {
        expect(metadataOf(values, tag).unitLabels, tag).toEqual(want);
      }
      for (const tag of ['activations/conv', 'weights/conv/kernel', 'activation_stats/out']) {
        expect(metadataOf(values, tag).unitLabels ?? [], tag).toEqual([]);
      }
      expect(descriptionOf(values, 'template_images/out')).toContain('classes 5, 6, 7, 8, 9');
    },
  );

  it('labels a softmax layer of its own and the dense layer before it', async () => {
    const labels = ['cat', 'dog', 'eel'];
    const { values, errors } = await logBoth(classifier(3, true), { outputLabels: labels });
    expect(errors).toEqual([]);
    expect(metadataOf(values, 'activations/probs').unitLabels).toEqual(labels);
    expect(metadataOf(values, 'activations/out').unitLabels).toEqual(labels);
    expect(metadataOf(values, 'templates/out').unitLabels).toEqual(labels);
  });

  it('labels back through a BatchNormalization between the softmax and the Dense', async () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [4, 4, 1], name: 'flat' }));
    model.add(tf.layers.dense({ units: 3, name: 'out' }));
    model.add(tf.layers.batchNormalization({ name: 'norm' }));
    model.add(tf.layers.activation({ activation: 'softmax', name: 'probs' }));
    const labels = ['cat', 'dog', 'eel'];
    const { values, errors } = await logBoth(model, { outputLabels: labels });
    expect(tf.memory().numTensors).toBe(before);
    expect(errors).toEqual([]);
    for (const tag of ['activations/probs', 'activations/norm', 'templates/out']) {
      expect(metadataOf(values, tag).unitLabels, tag).toEqual(labels);
    }
  });

  it('writes no labels without the option: unit i is class i', async () => {
    const { values } = await logBoth(classifier(3), {});
    expect(metadataOf(values, 'activations/out').unitLabels ?? []).toEqual([]);
    expect(metadataOf(values, 'templates/out').unitLabels ?? []).toEqual([]);
  });

  it(
    'reports a list of the wrong length, naming the option and both counts, ' +
      'and logs the units unlabelled',
    async () => {
      const { values, errors } = await logBoth(classifier(5), { outputLabels: [0, 1, 2] });
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].message).toContain(
        'invalid outputLabels: got 3 labels, want 5 (the units of output layer "out")',
      );
      expect(tagsOf(values)).toContain('activations/out');
      expect(tagsOf(values)).toContain('templates/out');
      expect(metadataOf(values, 'templates/out').unitLabels ?? []).toEqual([]);
    },
  );

  it('reports a label that is neither a string nor a finite number', async () => {
    const outputLabels = ['a', Number.NaN, 'c'];
    const { errors } = await logBoth(classifier(3), { outputLabels });
    expect(errors[0].message).toContain('invalid outputLabels[1]: NaN');
  });

  it('reports a wrong length from the fit callback without stopping training', async () => {
    const model = classifier(3);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([4, 4, 4, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-labels-cb-'));
    const writer = new SummaryWriter(runDir);
    const errors: Error[] = [];
    const probes = { x: x.slice(0, 2), ids: [0, 1], labels: [0, 1] };
    const callback = lensboardCallback(writer, {
      probes,
      outputLabels: ['a', 'b'],
      onError: (error) => errors.push(error),
    });
    const history = await model.fit(x, y, { epochs: 1, batchSize: 2, callbacks: [callback] });
    await writer.close();
    expect(history.history.loss).toHaveLength(1);
    expect(errors.map((e) => e.message)).toContain(
      'lensboard could not log unit labels of layer "out": ' +
        'invalid outputLabels: got 2 labels, want 3 (the units of output layer "out")',
    );
    expect(tagsOf(readRun(runDir))).toContain('templates/out');
    tf.dispose([x, y, probes.x]);
    model.dispose();
  });
});
