/**
 * The fit callback under a second copy of tfjs, as a project gets when it
 * installs lensboard by path: the project's `model.fit` does not recognise
 * lensboard's callback class, wraps it and calls its hooks unbound, and its
 * layers are not lensboard's classes. A real second copy is loaded from a
 * temporary node_modules holding tfjs's Node bundles.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { SummaryWriter } from '../writer/index.js';
import { LensboardCallback } from '../writer/tfjs/index.js';
import { floatsOf, metadataOf, only, readRun, shapeOf, valuesOf } from './tfjs-events.js';

const TFJS_PACKAGES = [
  'tfjs',
  'tfjs-core',
  'tfjs-layers',
  'tfjs-backend-cpu',
  'tfjs-backend-webgl',
  'tfjs-converter',
  'tfjs-data',
];

const require = createRequire(import.meta.url);
const projectModules = join(dirname(require.resolve('@tensorflow/tfjs/package.json')), '../..');

/**
 * A node_modules with its own copy of every tfjs package (package.json and
 * the Node bundle each one's `main` names) and links to their other
 * dependencies, loaded through a require rooted there.
 */
function loadSecondTfjs(): typeof tf {
  const root = mkdtempSync(join(tmpdir(), 'lensboard-two-tfjs-'));
  const modules = join(root, 'node_modules');
  const dependencies = new Set<string>();
  for (const name of TFJS_PACKAGES) {
    const from = join(projectModules, '@tensorflow', name);
    const to = join(modules, '@tensorflow', name);
    const manifest = require(join(from, 'package.json')) as {
      main: string;
      dependencies?: Record<string, string>;
    };
    mkdirSync(dirname(join(to, manifest.main)), { recursive: true });
    copyFileSync(join(from, 'package.json'), join(to, 'package.json'));
    copyFileSync(join(from, manifest.main), join(to, manifest.main));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) dependencies.add(dependency);
  }
  for (const dependency of dependencies) {
    const from = join(projectModules, dependency);
    const to = join(modules, dependency);
    if (dependency.startsWith('@tensorflow/') || !existsSync(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
  // The second copy warns of every kernel and backend it registers again.
  const quiet = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    return createRequire(join(root, 'project.js'))('@tensorflow/tfjs') as typeof tf;
  } finally {
    quiet.mockRestore();
  }
}

/** A softmax classifier over 2x2 images, built, compiled and fed by `other`, and its data. */
function otherModel(other: typeof tf) {
  const model = other.sequential();
  model.add(other.layers.flatten({ inputShape: [2, 2, 1], name: 'flat' }));
  model.add(other.layers.dense({ units: 2, activation: 'softmax', name: 'out' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const x = other.randomUniform([4, 2, 2, 1]);
  const y = other.oneHot(other.tensor1d([0, 1, 0, 1], 'int32'), 2);
  const probes = { x: x.slice(0, 2), ids: [3, 4], labels: [7, 9] };
  return { model, x, y, probes, dispose: () => other.dispose([x, y, probes.x]) };
}

describe('LensboardCallback under another tfjs copy', () => {
  const other = loadSecondTfjs();

  it("is a second copy: its callback and model classes are not lensboard's", () => {
    expect(other.Callback).not.toBe(tf.Callback);
    expect(other.LayersModel).not.toBe(tf.LayersModel);
  });

  it('logs metrics, activations and weights of a model the other copy fits', async () => {
    const { model, x, y, probes, dispose } = otherModel(other);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-two-tfjs-run-'));
    const writer = new SummaryWriter(runDir);
    const errors: Error[] = [];
    const callback = new LensboardCallback(writer, {
      probes,
      model,
      snapshotEvery: 1,
      outputLabels: [7, 9],
      onError: (error) => errors.push(error),
    });
    await model.fit(x, y, { epochs: 1, batchSize: 2, callbacks: [callback] });
    await writer.close();

    expect(errors).toEqual([]);
    const values = readRun(runDir);
    expect(valuesOf(values, 'batch/loss').map((v) => v.step)).toEqual([0, 1]);
    expect(valuesOf(values, 'activations/out').map((v) => v.step)).toEqual([0, 1]);
    const probabilities = floatsOf(only(values, 'activations/out', 1));
    expect(probabilities[0] + probabilities[1]).toBeCloseTo(1, 5);
    expect(metadataOf(values, 'activations/out').unitLabels).toEqual(['7', '9']);
    expect(shapeOf(only(values, 'templates/out', 1))).toEqual([2, 2, 2]);
    dispose();
    model.dispose();
  });

  it('takes the model from setModel when listed after a callback of the other copy', async () => {
    const { model, x, y, probes, dispose } = otherModel(other);
    const runDir = mkdtempSync(join(tmpdir(), 'lensboard-two-tfjs-setmodel-'));
    const writer = new SummaryWriter(runDir);
    const errors: Error[] = [];
    const callback = new LensboardCallback(writer, {
      probes,
      snapshotEvery: 1,
      onError: (error) => errors.push(error),
    });
    const stopping = other.callbacks.earlyStopping({ monitor: 'loss', patience: 5 });
    await model.fit(x, y, { epochs: 1, batchSize: 2, callbacks: [stopping, callback] });
    await writer.close();

    expect(errors).toEqual([]);
    expect(valuesOf(readRun(runDir), 'weights/out/kernel').map((v) => v.step)).toEqual([0, 1]);
    dispose();
    model.dispose();
  });
});
