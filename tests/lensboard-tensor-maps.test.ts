/**
 * How the lensboard views read maps out of logged tensors: activations are
 * channels last, class templates are the tfjs adapter's channels-first
 * layout, kernels are tfjs's [h, w, in, out]; and how a click on the canvas
 * resolves to the tile and cell that were painted there.
 */
import { describe, expect, it } from 'vitest';
import {
  gridGeometry,
  tileAt,
  tileOrigin,
  zoomFor,
} from '../plugin-frontend/src/lensboard/map-grid-layout.js';
import {
  activationLayout,
  checkTensor,
  incomingWeights,
  itemMap,
  kernelMaps,
  mapToArray,
  mapValue,
  templateLayout,
} from '../plugin-frontend/src/lensboard/tensor-maps.js';

/** values[i] = i, so a read value names its own flat index. */
const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('activation maps', () => {
  it('read channel c of probe p from a channels-last [p, h, w, c] tensor', () => {
    const shape = [2, 3, 4, 5];
    const layout = activationLayout(shape);
    const map = itemMap(iota(120), layout, 1, 2);
    // Flat index of [1, y, x, 2] is ((1 * 3 + y) * 4 + x) * 5 + 2.
    expect(mapValue(map, 2, 3)).toBe(((1 * 3 + 2) * 4 + 3) * 5 + 2);
    expect([map.height, map.width]).toEqual([3, 4]);
  });

  it('treat a dense output [p, u] as u single-value units', () => {
    const layout = activationLayout([2, 7]);
    expect(layout).toMatchObject({ items: 2, channels: 7, height: 1, width: 1, units: true });
    expect(mapValue(itemMap(iota(14), layout, 1, 3), 0, 0)).toBe(10);
  });

  it('refuse a channel past the last with the value and the valid range', () => {
    expect(() => itemMap(iota(14), activationLayout([2, 7]), 0, 7)).toThrow(
      'invalid channel: 7, want an integer in [0, 7)',
    );
  });
});

describe('template maps', () => {
  it("read the adapter's channels-first [units, c, h, w] layout", () => {
    const layout = templateLayout([3, 2, 4, 5]);
    const map = itemMap(iota(120), layout, 2, 1);
    expect(mapValue(map, 1, 2)).toBe(((2 * 2 + 1) * 4 + 1) * 5 + 2);
  });

  it('draw a flat input of a perfect square size as a square, others folded near-square', () => {
    expect(templateLayout([10, 784])).toMatchObject({ height: 28, width: 28, channels: 1 });
    expect(templateLayout([10, 784]).folded).toBeUndefined();
    expect(templateLayout([5, 32])).toMatchObject({ height: 4, width: 8, folded: true });
    expect(templateLayout([10, 30])).toMatchObject({ height: 5, width: 6, folded: true });
    expect(templateLayout([10, 31])).toMatchObject({ height: 1, width: 31 });
  });

  it('read input y * width + x of a unit from a folded flat template', () => {
    const layout = templateLayout([5, 32]);
    const map = itemMap(iota(160), layout, 3, 0);
    expect(mapValue(map, 2, 5)).toBe(3 * 32 + 2 * 8 + 5);
    expect(mapValue(map, 3, 7)).toBe(3 * 32 + 31);
  });
});

describe('kernel maps', () => {
  it('give one h x w filter per (input channel, output filter), input-major', () => {
    const kernel = { shape: [3, 3, 2, 4], values: iota(72) };
    const maps = kernelMaps(kernel);
    expect(maps).toHaveLength(8);
    // Filter o=3 of input i=1 at (y=2, x=1) is kernel[2, 1, 1, 3].
    expect(mapValue(maps[1 * 4 + 3], 2, 1)).toBe(((2 * 3 + 1) * 2 + 1) * 4 + 3);
  });

  it("shape a dense unit's incoming weights like the layer's channels-last input", () => {
    const kernel = { shape: [2 * 2 * 3, 5], values: iota(60) };
    const maps = incomingWeights(kernel, 4, [2, 2, 3]);
    expect(maps).toHaveLength(3);
    // Input (y=1, x=0, c=2) is row (1 * 2 + 0) * 3 + 2 = 8 of the kernel; unit 4 its column.
    expect(mapValue(maps[2], 1, 0)).toBe(8 * 5 + 4);
    expect(Array.from(mapToArray(maps[0]))).toEqual([4, 19, 34, 49]);
  });
});

describe('checkTensor', () => {
  it('names the tensor, the value count and the count its shape wants', () => {
    expect(() => checkTensor({ shape: [2, 3], values: iota(5) }, 'activations/conv1')).toThrow(
      'activations/conv1: got 5 values for shape [2,3], want 6',
    );
  });
});

describe('grid geometry', () => {
  it('resolves every painted cell back to its tile and position', () => {
    const grid = gridGeometry(32, 5, 7, 1);
    for (const index of [0, 5, 31]) {
      const { x, y } = tileOrigin(grid, index);
      expect(tileAt(grid, x + 6, y + 4)).toEqual({ index, y: 4, x: 6 });
    }
  });

  it('answers null over a gap and past the last tile', () => {
    const grid = gridGeometry(3, 2, 2, 1, 2);
    expect(tileAt(grid, 2, 0)).toBeNull();
    expect(tileAt(grid, 3, 3)).toBeNull();
  });

  it('wraps a strip of units after 32 and enlarges small maps more', () => {
    expect(gridGeometry(120, 1, 1, 0).columns).toBe(32);
    expect(gridGeometry(10, 1, 1, 0).columns).toBe(10);
    expect(zoomFor(6, 6, 48)).toBe(8);
    expect(zoomFor(100, 100, 48)).toBe(1);
  });

  it('wraps a square count of units at its side, so a flattened image keeps its rows', () => {
    expect(gridGeometry(784, 1, 1, 0)).toMatchObject({ columns: 28, rows: 28 });
    expect(gridGeometry(100, 1, 1, 0).columns).toBe(10);
    expect(gridGeometry(128 * 128, 1, 1, 0).columns).toBe(32);
  });
});
