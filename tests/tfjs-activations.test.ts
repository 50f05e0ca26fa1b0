/**
 * Activation capture on a tiny model whose weights the test sets: the logged
 * activations, channel statistics, top probes and grid equal values computed
 * by hand, and nothing leaks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { TensorRole } from '../proto/index.js';
import { SummaryWriter } from '../writer/index.js';
import { logActivations, STAT_NAMES } from '../writer/tfjs/index.js';
import {
  descriptionOf,
  floatsOf,
  imagesOf,
  metadataOf,
  only,
  readRun,
  shapeOf,
  tagsOf,
} from './tfjs-events.js';

// Three 2x2 probes. The conv layer maps each pixel v to [relu(v), relu(0.5 - v)].
const PIXELS = [
  [1, -1, 0, 2],
  [0, 0, 0, 0],
  [-2, 3, 1, 0.25],
];
const CONV_BY_HAND = [
  [1, 0, 0, 1.5, 0, 0.5, 2, 0],
  [0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5],
  [0, 2.5, 3, 0, 1, 0, 0.25, 0.25],
];
// Dense kernel [8, 2]: input i feeds unit 0 with i/4 and unit 1 with -i/4.
const KERNEL = Array.from(
  { length: 16 },
  (_, n) => ((n % 2 === 0 ? 1 : -1) * Math.floor(n / 2)) / 4,
);
const BIAS = [0.1, -0.1];

function tinyModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [2, 2, 1],
      filters: 2,
      kernelSize: 1,
      activation: 'relu',
      name: 'conv',
    }),
  );
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 2, activation: 'tanh', name: 'out' }));
  const weights = [
    tf.tensor4d([1, -1], [1, 1, 1, 2]),
    tf.tensor1d([0, 0.5]),
    tf.tensor2d(KERNEL, [8, 2]),
    tf.tensor1d(BIAS),
  ];
  model.layers[0].setWeights(weights.slice(0, 2));
  model.layers[2].setWeights(weights.slice(2));
  tf.dispose(weights);
  return model;
}

function denseByHand(flat: number[]): number[] {
  return [0, 1].map((unit) =>
    Math.tanh(flat.reduce((sum, v, i) => sum + v * KERNEL[i * 2 + unit], BIAS[unit])),
  );
}

const disposers: (() => void)[] = [];
afterEach(() => disposers.splice(0).forEach((dispose) => dispose()));

async function logOnce(step: number, options = {}) {
  const model = tinyModel();
  const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
  disposers.push(() => {
    x.dispose();
    model.dispose();
  });
  const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-act-'));
  const writer = new SummaryWriter(runDir);
  const before = tf.memory().numTensors;
  await logActivations(writer, model, { x, ids: [10, 11, 12], labels: [1, 0, -1] }, step, options);
  const leaked = tf.memory().numTensors - before;
  // Every test through here asserts that logging leaked no tensor.
  expect(leaked).toBe(0);
  await writer.close();
  return { values: readRun(runDir), leaked, model, x, writer };
}

function expectClose(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
}

describe('logActivations', () => {
  it('logs every layer output for all probes, equal to the hand-computed values', async () => {
    const { values, leaked } = await logOnce(7);
    expect(leaked).toBe(0);

    const conv = only(values, 'activations/conv', 7);
    expect(shapeOf(conv)).toEqual([3, 2, 2, 2]);
    expectClose(floatsOf(conv), CONV_BY_HAND.flat());
    expectClose(floatsOf(only(values, 'activations/flat', 7)), CONV_BY_HAND.flat());
    expectClose(floatsOf(only(values, 'activations/out', 7)), CONV_BY_HAND.flatMap(denseByHand));
  });

  it(
    'describes each activation with role, layer, shape, ' + 'probes and activation function',
    async () => {
      const { values } = await logOnce(0);
      expect(metadataOf(values, 'activations/conv')).toMatchObject({
        role: TensorRole.ACTIVATION,
        layerName: 'conv',
        layerKind: 'Conv2D',
        shape: [3, 2, 2, 2],
        probeIds: [10, 11, 12],
        probeLabels: [1, 0, -1],
        activation: 'relu',
      });
      expect(metadataOf(values, 'activations/out').activation).toBe('tanh');
      expect(metadataOf(values, 'activations/flat').layerKind).toBe('Flatten');
    },
  );

  it(
    'computes mean, max, zero fraction and saturation ' + 'per channel over probes and positions',
    async () => {
      const { values } = await logOnce(1);
      const stats = only(values, 'activation_stats/conv', 1);
      expect(shapeOf(stats)).toEqual([2, 4]);
      // Channel 0 holds 1,0,0,2 | 0,0,0,0 | 0,3,1,0.25;
      // channel 1 holds 0,1.5,.5,0 | .5 x4 | 2.5,0,0,.25.
      expectClose(floatsOf(stats), [7.25 / 12, 3, 7 / 12, 0, 6.75 / 12, 2.5, 4 / 12, 0]);
      expect(metadataOf(values, 'activation_stats/conv')).toMatchObject({
        role: TensorRole.CHANNEL_STATS,
        statNames: STAT_NAMES,
      });
    },
  );

  it('counts tanh outputs within 1e-3 of -1 or 1 as saturated', async () => {
    const { values } = await logOnce(1);
    const out = floatsOf(only(values, 'activations/out', 1));
    const stats = floatsOf(only(values, 'activation_stats/out', 1));
    for (const unit of [0, 1]) {
      const column = [0, 1, 2].map((probe) => out[probe * 2 + unit]);
      const saturated = column.filter((v) => Math.abs(v) >= 1 - 1e-3).length / 3;
      expect(stats[unit * 4 + 3]).toBeCloseTo(saturated, 6);
    }
    // Pre-activations +-4.85 (probe 0) and +-4.0375 (probe 2) saturate; +-2.1 (probe 1) does not.
    expect([stats[3], stats[7]]).toEqual([2 / 3, 2 / 3].map(Math.fround));
  });

  it('ranks probes per channel by mean activation, ties in probe order', async () => {
    const { values } = await logOnce(2, { topK: 3 });
    const top = only(values, 'activation_top/conv', 2);
    expect(shapeOf(top)).toEqual([2, 3]);
    // Channel 0 means: 0.75, 0, 1.0625. Channel 1 means: 0.5, 0.5, 0.6875 (a tie).
    expect(floatsOf(top)).toEqual([2, 0, 1, 2, 0, 1]);
    expect(metadataOf(values, 'activation_top/conv')).toMatchObject({
      role: TensorRole.TOP_PROBES,
      probeIds: [10, 11, 12],
    });
  });

  it('logs the probe inputs once, at the first step they are seen', async () => {
    const model = tinyModel();
    const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-act-'));
    const writer = new SummaryWriter(runDir);
    const probes = { x, ids: [10, 11, 12], labels: [1, 0, -1] };
    await logActivations(writer, model, probes, 3);
    await logActivations(writer, model, probes, 4);
    await writer.close();
    const values = readRun(runDir);
    expect(values.filter((value) => value.tag === 'probes/input').map((v) => v.step)).toEqual([3]);
    expectClose(floatsOf(only(values, 'probes/input', 3)), PIXELS.flat());
    expect(metadataOf(values, 'probes/input').role).toBe(TensorRole.PROBE_INPUT);
    x.dispose();
    model.dispose();
  });

  it(
    'draws probe 0 feature maps as a grid ' + 'with the normalisation rule in its description',
    async () => {
      const { values } = await logOnce(5);
      const grid = imagesOf(only(values, 'activation_grid/conv', 5));
      // Two 2x2 tiles enlarged 8x side by side, one grey pixel between them.
      expect([grid.width, grid.height]).toEqual([33, 16]);
      expect(grid.pngs).toHaveLength(1);
      expect(descriptionOf(values, 'activation_grid/conv')).toMatch(
        /probe 10.*black = 0, white = 2/,
      );
      expect(descriptionOf(values, 'activation_grid/out')).toMatch(/signed: red = -0\.\d+/);
    },
  );

  it('draws the largest non-negative value white, zero black and half of it mid-grey', async () => {
    const { values } = await logOnce(5);
    const png = PNG.sync.read(
      Buffer.from(imagesOf(only(values, 'activation_grid/conv', 5)).pngs[0]),
    );
    const grey = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    // Probe 0, channel 0 is [[1, 0], [0, 2]] on a scale whose white is 2, each cell 8 px.
    expect([grey(8, 8), grey(8, 0), grey(0, 0)]).toEqual([255, 0, 128]);
  });

  it(
    'keeps only the leading probes of an output above the value cap, ' +
      'with a warning naming the layer',
    async () => {
      const warnings: string[] = [];
      const { values, leaked } = await logOnce(0, {
        maxActivationValues: 16,
        onWarning: (message: string) => warnings.push(message),
      });
      expect(leaked).toBe(0);
      expect(shapeOf(only(values, 'activations/conv', 0))).toEqual([2, 2, 2, 2]);
      expect(metadataOf(values, 'activations/conv').probeIds).toEqual([10, 11]);
      expect(shapeOf(only(values, 'activations/out', 0))).toEqual([3, 2]);
      expect(warnings.some((w) => w.includes('"conv"') && w.includes('first 2 probes'))).toBe(true);
    },
  );

  it('skips an output when one probe alone is above the cap', async () => {
    const warnings: string[] = [];
    const { values } = await logOnce(0, {
      maxActivationValues: 4,
      onWarning: (m: string) => warnings.push(m),
    });
    expect(tagsOf(values).has('activations/conv')).toBe(false);
    expect(tagsOf(values).has('activations/out')).toBe(true);
    expect(warnings.some((w) => w.includes('"conv"') && w.includes('not logging'))).toBe(true);
  });

  it('rejects a bad step or mismatched probes before logging anything', async () => {
    const model = tinyModel();
    const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-act-'));
    const writer = new SummaryWriter(runDir);
    const probes = { x, ids: [1, 2, 3], labels: [0, 0, 0] };
    await expect(logActivations(writer, model, probes, NaN)).rejects.toThrow('invalid step: NaN');
    await expect(logActivations(writer, model, { ...probes, ids: [1] }, 0)).rejects.toThrow(
      'invalid probes.ids: 1 entries (want 3 integers, one per probe)',
    );
    await writer.close();
    expect(readRun(runDir)).toEqual([]);
    x.dispose();
    model.dispose();
  });
});

/** 16 probes through a wide conv (8 x 8 x 16 = 1024 values a probe), pooled to 16, then 3 units. */
function wideModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [8, 8, 1],
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      name: 'wide',
    }),
  );
  model.add(tf.layers.globalAveragePooling2d({ name: 'pool' }));
  model.add(tf.layers.dense({ units: 3, name: 'out' }));
  return model;
}

/**
 * Logs the wide model's activations with `options` and without (the whole
 * batch in one pass), each to its own run; `peakBytes` is the most tensor
 * memory held at once beyond what was held before (tf.profile's peak is the
 * engine's total at its fullest kernel).
 */
async function logWide(options: object) {
  const model = wideModel();
  const x = tf.randomUniform([16, 8, 8, 1], -1, 1, 'float32', 7);
  disposers.push(() => {
    x.dispose();
    model.dispose();
  });
  const probes = { x, ids: [...Array(16).keys()], labels: Array(16).fill(-1) };
  const run = async (opts: object) => {
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cap-'));
    const writer = new SummaryWriter(runDir);
    const before = tf.memory();
    const profile = await tf.profile(
      () => logActivations(writer, model, probes, 0, opts) as unknown as tf.TensorContainer,
    );
    const leaked = tf.memory().numTensors - before.numTensors;
    await writer.close();
    return { values: readRun(runDir), leaked, peakBytes: profile.peakBytes - before.numBytes };
  };
  return { capped: await run(options), whole: await run({}) };
}

describe('the activation cap', () => {
  it(
    'leaves a layer over the cap for one probe out of the capture, ' +
      'so its output for the batch is never held, and logs the layers after it unchanged',
    async () => {
      const warnings: string[] = [];
      const { capped, whole } = await logWide({
        maxActivationValues: 512,
        onWarning: (m: string) => warnings.push(m),
      });
      expect([capped.leaked, whole.leaked]).toEqual([0, 0]);
      expect(tagsOf(capped.values).has('activations/wide')).toBe(false);
      // The wide output of all 16 probes is 64 KiB; one probe's is 4 KiB.
      expect(whole.peakBytes).toBeGreaterThan(16 * 1024 * 4);
      expect(capped.peakBytes).toBeLessThan(16 * 1024);
      for (const tag of ['activations/pool', 'activations/out', 'activation_stats/pool']) {
        expect(floatsOf(only(capped.values, tag, 0)), tag).toEqual(
          floatsOf(only(whole.values, tag, 0)),
        );
      }
      expect(warnings).toEqual([
        'activations over the maxActivationValues cap of 512 values for 16 probes: ' +
          'layer "wide" [16, 8, 8, 16]: not logging it. ' +
          'Raise the cap or use fewer probes to log more',
      ]);
    },
  );

  it(
    'runs the probes through in chunks when a layer is large per probe, ' +
      'keeping the leading probes exactly as one whole-batch run gives them',
    async () => {
      // 8192 values keep 8 probes of "wide"; chunks of 7 probes hold 7 * 1043 values.
      const { capped, whole } = await logWide({ maxActivationValues: 8192, onWarning: () => {} });
      expect(capped.leaked).toBe(0);
      expect(capped.peakBytes).toBeLessThan(whole.peakBytes / 2);
      const wide = only(capped.values, 'activations/wide', 0);
      expect(shapeOf(wide)).toEqual([8, 8, 8, 16]);
      expect(floatsOf(wide)).toEqual(
        floatsOf(only(whole.values, 'activations/wide', 0)).slice(0, 8 * 1024),
      );
      expect(metadataOf(capped.values, 'activations/wide').probeIds).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7,
      ]);
      for (const tag of ['activations/pool', 'activations/out', 'activation_top/out']) {
        expect(floatsOf(only(capped.values, tag, 0)), tag).toEqual(
          floatsOf(only(whole.values, tag, 0)),
        );
      }
    },
  );

  it('warns once per writer about the layers over the cap, however many steps log', async () => {
    const model = tinyModel();
    const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-cap-once-'));
    const writer = new SummaryWriter(runDir);
    const warnings: string[] = [];
    const options = { maxActivationValues: 4, onWarning: (m: string) => warnings.push(m) };
    const before = tf.memory().numTensors;
    for (const step of [0, 1, 2]) {
      await logActivations(writer, model, { x, ids: [1, 2, 3], labels: [0, 0, 0] }, step, options);
    }
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();
    // "conv" and "flat" (8 values a probe) are out; "out" (2 a probe) keeps 2 of 3 probes.
    expect(warnings).toEqual([
      'activations over the maxActivationValues cap of 4 values for 3 probes: ' +
        'layer "conv" [3, 2, 2, 2]: not logging it; layer "flat" [3, 8]: not logging it; ' +
        'layer "out" [3, 2]: logging its first 2 probes. ' +
        'Raise the cap or use fewer probes to log more',
    ]);
    x.dispose();
    model.dispose();
  });
});

describe('argument checks of logActivations', () => {
  async function rejected(probes: object, options: object) {
    const model = tinyModel();
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-tfjs-args-'));
    const writer = new SummaryWriter(runDir);
    const before = tf.memory().numTensors;
    const result = logActivations(writer, model, probes as never, 0, options);
    const error = await result.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(tf.memory().numTensors).toBe(before);
    await writer.close();
    expect(readRun(runDir)).toEqual([]);
    model.dispose();
    return error?.message;
  }

  it('rejects a topK or maxActivationValues that is no integer >= 1, naming it', async () => {
    const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
    const probes = { x, ids: [1, 2, 3], labels: [0, 0, 0] };
    expect(await rejected(probes, { topK: -1 })).toBe('invalid topK: -1 (want an integer >= 1)');
    expect(await rejected(probes, { topK: 2.5 })).toBe('invalid topK: 2.5 (want an integer >= 1)');
    expect(await rejected(probes, { maxActivationValues: NaN })).toBe(
      'invalid maxActivationValues: NaN (want an integer >= 1)',
    );
    expect(await rejected(probes, { grids: 'no' })).toBe(
      'invalid grids: "no" (want true or false)',
    );
    x.dispose();
  });

  it('rejects probes.x given as a nested array, saying what is accepted', async () => {
    const message = await rejected(
      { x: PIXELS.map((row) => row.map((v) => [v])), ids: [1, 2, 3], labels: [0, 0, 0] },
      {},
    );
    expect(message).toBe(
      'invalid probes.x: a nested array (want a tf.Tensor [probes, ...input shape], ' +
        'or one per input of a multi-input model; convert a nested array with tf.tensor(...))',
    );
  });

  it('rejects ids and labels that are not one integer per probe, naming the field', async () => {
    const x = tf.tensor4d(PIXELS.flat(), [3, 2, 2, 1]);
    expect(await rejected({ x, ids: [1, 2, 3], labels: [0, 0] }, {})).toBe(
      'invalid probes.labels: 2 entries (want 3 integers, one per probe, -1 if unknown)',
    );
    expect(await rejected({ x, ids: [1, 2.5, 3], labels: [0, 0, 0] }, {})).toBe(
      'invalid probes.ids[1]: 2.5 (want 3 integers, one per probe)',
    );
    expect(await rejected({ x, labels: [0, 0, 0] }, {})).toBe(
      'invalid probes.ids: undefined (want 3 integers, one per probe)',
    );
    x.dispose();
  });
});
