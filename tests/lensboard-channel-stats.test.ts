/**
 * What the activations view says about a channel: its statistics, dead and
 * saturated flags, the predicted class per probe, and the exact float shown
 * under the cursor.
 */
import { describe, expect, it } from 'vitest';
import {
  argmax,
  channelHealth,
  classOf,
  rectifies,
  deadChannels,
  mapStats,
  outputClasses,
  predictions,
  probeVerdict,
} from '../plugin-frontend/src/lensboard/channel-stats.js';
import { formatCompact, formatFloat32 } from '../plugin-frontend/src/lensboard/float-format.js';
import { activationLayout, denseMap } from '../plugin-frontend/src/lensboard/tensor-maps.js';
import { difference, elementwiseMean } from '../plugin-frontend/src/lensboard/worker-math.js';

describe('mapStats', () => {
  it('gives min, max and mean of finite values and the fraction exactly zero', () => {
    const stats = mapStats([denseMap(Float32Array.from([0, 2, -1, 0, NaN]), 1, 5)]);
    expect(stats).toMatchObject({ min: -1, max: 2, fractionZero: 0.4, nonFinite: 1, count: 5 });
    expect(stats.mean).toBeCloseTo(0.25);
  });

  it('reports NaN statistics, not Infinity, when no value is finite', () => {
    const stats = mapStats([denseMap(Float32Array.from([NaN]), 1, 1)]);
    expect([stats.min, stats.max, stats.mean]).toEqual([NaN, NaN, NaN]);
  });
});

describe('channelHealth', () => {
  it('flags a channel dead only when every value over every probe is zero', () => {
    const zero = denseMap(new Float32Array(4), 2, 2);
    const one = denseMap(Float32Array.from([0, 0, 0, 1e-9]), 2, 2);
    expect(channelHealth(mapStats([zero, zero]), true).dead).toBe(true);
    expect(channelHealth(mapStats([zero, one]), true).dead).toBe(false);
  });

  it('calls an all-zero channel dead only behind a rectifying activation', () => {
    const zero = denseMap(new Float32Array(4), 2, 2);
    expect(rectifies('relu')).toBe(true);
    expect(rectifies('relu6')).toBe(true);
    expect(rectifies('elu')).toBe(true);
    expect(rectifies('', 'ReLU')).toBe(true);
    expect(rectifies('', 'Flatten')).toBe(false);
    expect(rectifies('linear', 'Dense')).toBe(false);
    expect(rectifies('softmax', 'Dense')).toBe(false);
    const flatten = channelHealth(mapStats([zero]), rectifies('', 'Flatten'));
    expect(flatten).toMatchObject({ dead: false, alwaysZero: true });
  });

  it('flags a sigmoid channel saturated when its values sit within 1e-3 of 0 or 1', () => {
    const stuck = denseMap(Float32Array.from([0.9995, 0.0002, 1, 0]), 2, 2);
    const healthy = denseMap(Float32Array.from([0.5, 0.9995, 0.3, 0]), 2, 2);
    expect(channelHealth(mapStats([stuck], 'sigmoid'), false).saturated).toBe(true);
    expect(channelHealth(mapStats([healthy], 'sigmoid'), false).saturated).toBe(false);
  });

  it('never calls an unbounded activation saturated', () => {
    const big = denseMap(Float32Array.from([1e6, 1e6]), 1, 2);
    expect(mapStats([big], 'relu').fractionSaturated).toBe(0);
  });
});

describe('deadChannels', () => {
  it('lists channels that are zero for every probe of a [p, h, w, c] activation', () => {
    // Two probes of 1x2 maps with 3 channels; channel 1 is zero everywhere.
    const values = Float32Array.from([1, 0, 0, 0, 0, 2, 0, 0, 3, 4, 0, 0]);
    expect(deadChannels(values, activationLayout([2, 1, 2, 3]))).toEqual([1]);
  });
});

describe('predictions', () => {
  it("takes the argmax of each probe's output row, skipping NaN", () => {
    const output = { shape: [2, 3], values: Float32Array.from([0.1, 0.7, 0.2, NaN, 0.2, 0.3]) };
    expect(predictions(output)).toEqual([1, 2]);
  });

  it('answers -1 for a row without a comparable value', () => {
    expect(argmax(Float32Array.from([NaN, NaN]), 0, 2)).toBe(-1);
  });

  it('refuses an output that is not [probes, classes]', () => {
    expect(() => predictions({ shape: [2, 2, 2], values: new Float32Array(8) })).toThrow(
      'output activation shape: got [2,2,2], want [probes, classes]',
    );
  });
});

describe('probeVerdict', () => {
  const expert = outputClasses(['0', '1', '2', '3', '4'], 5);

  it('tells a probe of a class the model has no output for from a wrong prediction', () => {
    expect(probeVerdict('5', '4', expert)).toBe('outside');
    expect(probeVerdict('3', '4', expert)).toBe('wrong');
    expect(probeVerdict('4', '4', expert)).toBe('right');
  });

  it('numbers unlabelled units 0..n-1, so class 7 is outside a 5-unit output', () => {
    expect(outputClasses([], 5)).toEqual(['0', '1', '2', '3', '4']);
    expect(probeVerdict('7', '2', outputClasses([], 5))).toBe('outside');
  });

  it('judges only right and wrong when the output units are not known', () => {
    expect(probeVerdict('7', '2', null)).toBe('wrong');
    expect(probeVerdict('?', '2', expert)).toBe('unknown');
  });
});

describe('formatFloat32', () => {
  it('prints the shortest decimal that reads back as the same float32', () => {
    for (const value of [0.1, -3.4028234663852886e38, 1e-45, 0.30000001192092896, 123456.789]) {
      const float = Math.fround(value);
      const text = formatFloat32(float);
      expect(Math.fround(Number(text))).toBe(float);
      expect(text.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
  });

  it('spells non-finite values and negative zero as they are', () => {
    expect([NaN, Infinity, -Infinity, -0].map(formatFloat32)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
    ]);
  });

  it('keeps legends to three significant digits', () => {
    expect([formatCompact(0.123456), formatCompact(123456), formatCompact(0)]).toEqual([
      '0.123',
      '1.23e+5',
      '0',
    ]);
  });
});

describe('worker differences', () => {
  it('subtracts the elementwise mean of the workers', () => {
    const a = Float32Array.from([1, 2]);
    const b = Float32Array.from([3, -2]);
    expect(Array.from(difference(a, elementwiseMean([a, b], ['w0', 'w1'])))).toEqual([-1, 2]);
  });

  it('names the worker whose tensor has another size', () => {
    expect(() => elementwiseMean([new Float32Array(2), new Float32Array(3)], ['w0', 'w1'])).toThrow(
      'w1: got 3 values, want 2 like w0',
    );
  });
});

describe('classOf', () => {
  it("names an output unit by its layer's unit labels, else by its index", () => {
    expect(classOf(0, ['5', '6', '7', '8', '9'])).toBe('5');
    expect(classOf(4, ['5', '6', '7', '8', '9'])).toBe('9');
    expect(classOf(3, [])).toBe('3');
    expect(classOf(-1, ['5'])).toBe('?');
  });
});
