/**
 * The fit callback end to end on tiny models, and capture on functional
 * graphs: a short `model.fit` produces a logdir whose every record decodes,
 * with metrics, snapshots at the documented cadence, no leaks, and logging
 * failures kept out of training.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { SummaryWriter } from '../writer/index.js';
import {
  lensboardCallback,
  logActivations,
  logGradients,
  logWeights,
  type SummarySink,
} from '../writer/tfjs/index.js';
import { floatsOf, metadataOf, only, readRun, shapeOf, tagsOf, valuesOf } from './tfjs-events.js';

function tinyCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [4, 4, 1],
      filters: 2,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv',
    }),
  );
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function data(count: number) {
  return tf.tidy(() => ({
    x: tf.randomUniform([count, 4, 4, 1]),
    y: tf.oneHot(
      tf.tensor1d(
        Array.from({ length: count }, (_, i) => i % 3),
        'int32',
      ),
      3,
    ),
  }));
}

describe('lensboardCallback', () => {
  it(
    'logs batch and epoch metrics and snapshots at the cadence, ' +
      'every record decoding, nothing leaked',
    async () => {
      const model = tinyCnn();
      const { x, y } = data(8);
      const probes = { x: x.slice(0, 2), ids: [0, 1], labels: [0, 1] };
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-'));
      const writer = new SummaryWriter(runDir);
      const before = tf.memory().numTensors;
      // 8 examples in batches of 2: 4 batches per epoch, steps 0..7 over 2 epochs.
      await model.fit(x, y, {
        epochs: 2,
        batchSize: 2,
        shuffle: false,
        callbacks: [lensboardCallback(writer, { probes, snapshotEvery: 3 })],
      });
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();

      const values = readRun(runDir);
      expect(valuesOf(values, 'batch/loss').map((v) => v.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(valuesOf(values, 'epoch/loss').map((v) => v.step)).toEqual([0, 1]);
      expect(tagsOf(values)).toContain('epoch/acc');
      expect(tagsOf(values).has('batch/batch')).toBe(false);
      // Every 3 batches from the first (0, 3, 6) and after each epoch's last batch (3, 7).
      expect(valuesOf(values, 'activations/conv').map((v) => v.step)).toEqual([0, 3, 6, 7]);
      expect(valuesOf(values, 'weights/out/kernel').map((v) => v.step)).toEqual([0, 3, 6, 7]);
      expect(shapeOf(only(values, 'templates/out', 7))).toEqual([3, 2, 2, 2]);
      expect(valuesOf(values, 'probes/input')).toHaveLength(1);
      const loss = floatsOf(only(values, 'batch/loss', 0))[0];
      expect(Number.isFinite(loss) && loss > 0).toBe(true);
      tf.dispose([x, y, probes.x]);
      model.dispose();
    },
  );

  it('reports a failing writer to onError and never throws into training', async () => {
    const model = tinyCnn();
    const { x, y } = data(4);
    const failing: SummarySink = {
      scalar: () => {
        throw new Error('disk full');
      },
      image: () => undefined,
      histogram: () => undefined,
      tensor: () => Promise.reject(new Error('disk full')),
      flush: () => undefined,
    };
    const errors: Error[] = [];
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, {
      epochs: 1,
      batchSize: 2,
      callbacks: [lensboardCallback(failing, { onError: (e) => errors.push(e) })],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(history.history.loss).toHaveLength(1);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).toMatch(/lensboard could not log .*: disk full/);
    tf.dispose([x, y]);
    model.dispose();
  });

  it(
    'logs when its hooks are called unbound and setModel never is, ' +
      "as another tfjs copy's CustomCallback calls them, snapshotting the model option",
    async () => {
      const model = tinyCnn();
      const { x } = data(2);
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-foreign-'));
      const writer = new SummaryWriter(runDir);
      const probes = { x, ids: [0, 1], labels: [0, 1] };
      const callback = lensboardCallback(writer, { probes, model, snapshotEvery: 1 });
      // CustomCallback keeps the functions and calls them with itself as `this`.
      const { onBatchEnd, onEpochEnd, onTrainEnd } = callback;
      const foreign = { batchEnd: onBatchEnd, epochEnd: onEpochEnd, trainEnd: onTrainEnd };
      const before = tf.memory().numTensors;
      await foreign.batchEnd(0, { loss: 0.5, batch: 0, size: 2 });
      await foreign.epochEnd(0, { loss: 0.25 });
      await foreign.trainEnd();
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();

      const values = readRun(runDir);
      expect(floatsOf(only(values, 'batch/loss', 0))).toEqual([0.5]);
      expect(floatsOf(only(values, 'epoch/loss', 0))).toEqual([0.25]);
      expect(shapeOf(only(values, 'activations/out', 0))).toEqual([2, 3]);
      expect(shapeOf(only(values, 'templates/out', 0))).toEqual([3, 2, 2, 2]);
      x.dispose();
      model.dispose();
    },
  );

  it(
    'reports a snapshot without a model, naming the model option, ' + 'and still logs metrics',
    async () => {
      const { x } = data(2);
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-nomodel-'));
      const writer = new SummaryWriter(runDir);
      const errors: Error[] = [];
      const callback = lensboardCallback(writer, {
        probes: { x, ids: [0, 1], labels: [0, 1] },
        onError: (error) => errors.push(error),
      });
      const { onBatchEnd } = callback;
      const before = tf.memory().numTensors;
      await onBatchEnd(0, { loss: 1 });
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();
      expect(errors.map((e) => e.message)).toEqual([
        'lensboard could not log a snapshot: no model to snapshot: fit did not call setModel ' +
          "(its tfjs is another copy than lensboard's); pass it as the callback's model option",
      ]);
      expect(floatsOf(only(readRun(runDir), 'batch/loss', 0))).toEqual([1]);
      x.dispose();
    },
  );

  it('prefers the model fit hands over to the model option', async () => {
    const trained = tinyCnn();
    const other = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4, 4, 1], units: 1, name: 'other' })],
    });
    const { x, y } = data(2);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-setmodel-'));
    const writer = new SummaryWriter(runDir);
    const callback = lensboardCallback(writer, { model: other, snapshotEvery: 1 });
    const before = tf.memory().numTensors;
    await trained.fit(x, y, { epochs: 1, batchSize: 2, callbacks: [callback] });
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();
    const tags = tagsOf(readRun(runDir));
    expect(tags).toContain('weights/out/kernel');
    expect(tags.has('weights/other/kernel')).toBe(false);
    tf.dispose([x, y]);
    trained.dispose();
    other.dispose();
  });

  it('rejects a cadence that is not a positive integer', () => {
    const writer = { scalar() {}, image() {}, histogram() {}, tensor() {}, flush() {} };
    expect(() => lensboardCallback(writer, { batchMetricsEvery: 0 })).toThrow(
      'invalid batchMetricsEvery: 0 (want an integer >= 1)',
    );
    expect(() => lensboardCallback(writer, { snapshotEvery: 2.5 })).toThrow(
      'invalid snapshotEvery: 2.5',
    );
  });
});

/** A deeper model than tinyCnn: more layers and weights, for counts that must not grow. */
function deeperCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2, name: 'c1' }));
  model.add(tf.layers.conv2d({ filters: 2, kernelSize: 2, name: 'c2' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 4, activation: 'relu', name: 'd1' }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return model;
}

describe('lensboardCallback diagnostics', () => {
  const inertWriter: SummarySink = {
    scalar() {},
    image() {},
    histogram() {},
    tensor() {},
    flush() {},
  };

  it.each([
    [{ initialStep: -3 }, 'invalid initialStep: -3 (want an integer >= 0)'],
    [{ initialStep: 1.5 }, 'invalid initialStep: 1.5 (want an integer >= 0)'],
    [{ topK: -1 }, 'invalid topK: -1 (want an integer >= 1)'],
    [{ topK: 2.5 }, 'invalid topK: 2.5 (want an integer >= 1)'],
    [{ maxActivationValues: NaN }, 'invalid maxActivationValues: NaN (want an integer >= 1)'],
    [{ snapshotOnEpochEnd: 'yes' }, 'invalid snapshotOnEpochEnd: "yes" (want true or false)'],
    [{ histograms: 0 }, 'invalid histograms: 0 (want true or false)'],
    [{ onError: 'log' }, 'invalid onError: "log" (want a function)'],
  ])('rejects %o when it is made, naming the option and its value', (options, message) => {
    expect(() => lensboardCallback(inertWriter, options as never)).toThrow(message);
  });

  it('rejects probes.x as a nested array, and ids of the wrong length, when made', () => {
    const nested = { x: [[[[0]], [[1]]]], ids: [0], labels: [0] };
    expect(() => lensboardCallback(inertWriter, { probes: nested as never })).toThrow(
      /^invalid probes\.x: a nested array \(want a tf\.Tensor \[probes, \.\.\.input shape\]/,
    );
    const x = tf.zeros([2, 4, 4, 1]);
    const before = tf.memory().numTensors;
    expect(() =>
      lensboardCallback(inertWriter, { probes: { x, ids: [0], labels: [0, 1] } }),
    ).toThrow('invalid probes.ids: 1 entries (want 2 integers, one per probe)');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it.each([
    [{}, 'invalid writer: {} (want a SummaryWriter, or an object with scalar, tensor, histogram'],
    ['runs/a', 'invalid writer: "runs/a" ('],
    [null, 'invalid writer: null ('],
    [{ ...inertWriter, flush: undefined }, 'missing flush)'],
  ])('rejects %o as the writer when it is made, naming the argument', (writer, message) => {
    expect(() => lensboardCallback(writer as never)).toThrow(message);
  });

  it('rejects a non-writer in logActivations, logWeights and logGradients', async () => {
    const model = tinyCnn();
    const x = tf.zeros([1, 4, 4, 1]);
    const probes = { x, ids: [0], labels: [0] };
    const before = tf.memory().numTensors;
    const missing = /invalid writer: \{\} .*; missing scalar, tensor, histogram, image, flush\)/;
    await expect(logActivations({} as never, model, probes, 0)).rejects.toThrow(missing);
    await expect(logWeights({} as never, model, 0)).rejects.toThrow(missing);
    await expect(logGradients({} as never, model, {}, 0)).rejects.toThrow(missing);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it(
    "rejects probes whose shape does not fit the model option's input when made, " +
      'naming probes.x, its shape and the input shape',
    () => {
      const model = tinyCnn();
      const x = tf.zeros([2, 5, 5, 1]);
      const before = tf.memory().numTensors;
      expect(() =>
        lensboardCallback(inertWriter, { model, probes: { x, ids: [0, 1], labels: [0, 1] } }),
      ).toThrow(
        "invalid probes.x: shape [2, 5, 5, 1] does not fit the model's input shape " +
          '[null, 4, 4, 1] (want [probes, 4, 4, 1])',
      );
      expect(() =>
        lensboardCallback(inertWriter, {
          model,
          probes: { x: [x, x], ids: [0, 1], labels: [0, 1] },
        }),
      ).toThrow('invalid probes.x: 2 tensor(s) for a model of 1 input(s) of shape [null, 4, 4, 1]');
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(x);
      model.dispose();
    },
  );

  it('takes probes of any shape when there is no model option, or the model is not built', () => {
    // tfjs builds a Sequential as its first layer is added: only an empty one has no inputs.
    const unbuilt = tf.sequential();
    const x = tf.zeros([2, 3]);
    const probes = { x, ids: [0, 1], labels: [0, 1] };
    expect(() => lensboardCallback(inertWriter, { probes })).not.toThrow();
    expect(() => lensboardCallback(inertWriter, { model: unbuilt, probes })).not.toThrow();
    tf.dispose(x);
    unbuilt.dispose();
  });

  it('takes probes that fit the model option, any size on its open axes', () => {
    const model = tinyCnn();
    const x = tf.zeros([3, 4, 4, 1]);
    expect(() =>
      lensboardCallback(inertWriter, { model, probes: { x, ids: [0, 1, 2], labels: [0, 1, 2] } }),
    ).not.toThrow();
    tf.dispose(x);
    model.dispose();
  });

  it('prefixes a console warning with "lensboard: " once', async () => {
    const warnings: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((line) => warnings.push(line));
    try {
      const failing = { ...inertWriter, scalar: () => Promise.reject(new Error('disk full')) };
      await lensboardCallback(failing, { snapshotEvery: 0 }).onBatchEnd(0, { loss: 1 });
    } finally {
      spy.mockRestore();
    }
    expect(warnings).toEqual([
      'lensboard: could not log batch metrics: disk full (further metric failures are silent)',
    ]);
  });

  it(
    'warns once per kind of logging for a closed writer, ' +
      'the same few warnings however many layers and weights the model has',
    async () => {
      const warningsOf = async (model: tf.Sequential) => {
        const { x, y } = data(4);
        const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-closed-'));
        const writer = new SummaryWriter(runDir);
        await writer.close();
        const warnings: string[] = [];
        const probes = { x: x.slice(0, 2), ids: [0, 1], labels: [0, 1] };
        const before = tf.memory().numTensors;
        const callback = lensboardCallback(writer, {
          probes,
          snapshotEvery: 1,
          onWarning: (m) => warnings.push(m),
        });
        await model.fit(x, y, { epochs: 2, batchSize: 2, callbacks: [callback] });
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, y, probes.x]);
        model.dispose();
        return warnings;
      };
      const small = await warningsOf(tinyCnn());
      const deeper = await warningsOf(deeperCnn());
      expect(small.map((w) => w.slice(w.lastIndexOf('(')))).toEqual([
        '(further metric failures are silent)',
        '(further activation failures are silent)',
        '(further weight failures are silent)',
      ]);
      expect(deeper).toHaveLength(small.length);
      expect(small[0]).toMatch(/^could not log batch metrics: event file .* is closed/);
    },
  );

  it(
    'keeps logging weights, templates and histograms when the probes are disposed during fit, ' +
      'warning once that names the probes',
    async () => {
      const model = tinyCnn();
      const { x, y } = data(8);
      const probes = { x: x.slice(0, 2), ids: [0, 1], labels: [0, 1] };
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-disposed-'));
      const writer = new SummaryWriter(runDir);
      const warnings: string[] = [];
      const errors: Error[] = [];
      const callback = lensboardCallback(writer, {
        probes,
        snapshotEvery: 1,
        onWarning: (m) => warnings.push(m),
        onError: (e) => errors.push(e),
      });
      // Listed after lensboard's: batch 0 is snapshotted before the probes go.
      const disposer = new tf.CustomCallback({
        onBatchEnd: async (batch) => {
          if (batch === 0) probes.x.dispose();
        },
      });
      const before = tf.memory().numTensors;
      await model.fit(x, y, { epochs: 1, batchSize: 2, callbacks: [callback, disposer] });
      // The probes the test disposed are the one tensor fewer.
      expect(tf.memory().numTensors).toBe(before - 1);
      await writer.close();

      const values = readRun(runDir);
      expect(valuesOf(values, 'activations/conv').map((v) => v.step)).toEqual([0]);
      for (const tag of ['weights/out/kernel', 'templates/out', 'weight_histograms/conv/bias']) {
        expect(
          valuesOf(values, tag).map((v) => v.step),
          tag,
        ).toEqual([0, 1, 2, 3]);
      }
      expect(errors).toEqual([]);
      expect(warnings).toEqual([
        'probes.x was disposed during training: not logging activations from step 1 on ' +
          '(weights, templates and histograms still are); dispose the probes after fit',
      ]);
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  it('continues the epoch axis on a second fit with the same callback, as batches do', async () => {
    const model = tinyCnn();
    const { x, y } = data(4);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cb-refit-'));
    const writer = new SummaryWriter(runDir);
    const callback = lensboardCallback(writer, { snapshotEvery: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 2, callbacks: [callback] });
    await model.fit(x, y, { epochs: 2, batchSize: 2, callbacks: [callback] });
    // A resumed fit numbers its epochs from initialEpoch: 2 and 3 continue at 4 and 5.
    await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 2, callbacks: [callback] });
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();

    const values = readRun(runDir);
    expect(valuesOf(values, 'epoch/loss').map((v) => v.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(valuesOf(values, 'batch/loss').map((v) => v.step)).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
    // Epoch-end snapshots follow the batch axis.
    expect(valuesOf(values, 'weights/out/kernel').map((v) => v.step)).toEqual([1, 3, 5, 7, 9, 11]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('activation capture on functional models', () => {
  it(
    'logs layers with several inputs, ' + 'several outputs and shared use, each output once',
    async () => {
      const left = tf.input({ shape: [2], name: 'left' });
      const right = tf.input({ shape: [2], name: 'right' });
      const shared = tf.layers.dense({
        units: 2,
        useBias: false,
        name: 'shared',
        kernelInitializer: 'ones',
      });
      const a = shared.apply(left) as tf.SymbolicTensor;
      const b = shared.apply(right) as tf.SymbolicTensor;
      const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
      const model = tf.model({ inputs: [left, right], outputs: sum });

      const x = [tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([10, 0, 0, 10], [2, 2])];
      const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-fn-'));
      const writer = new SummaryWriter(runDir);
      const before = tf.memory().numTensors;
      await logActivations(writer, model, { x, ids: [5, 6], labels: [-1, -1] }, 0);
      expect(tf.memory().numTensors).toBe(before);
      await writer.close();

      const values = readRun(runDir);
      // The shared layer runs twice in the graph: two outputs, suffixed by node.
      expect(floatsOf(only(values, 'activations/shared:0', 0))).toEqual([3, 3, 7, 7]);
      expect(floatsOf(only(values, 'activations/shared:1', 0))).toEqual([10, 10, 10, 10]);
      expect(floatsOf(only(values, 'activations/sum', 0))).toEqual([13, 13, 17, 17]);
      expect(tagsOf(values)).toContain('probes/input:1');
      expect(metadataOf(values, 'probes/input:1').layerName).toBe('right');
      tf.dispose(x);
      model.dispose();
    },
  );
});
