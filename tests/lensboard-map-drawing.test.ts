/**
 * How big lensboard draws maps and how it paints colour inputs: a small map
 * is enlarged by a whole factor to a readable size without a layer growing
 * past the page, and a 3-channel probe is painted in its own colours.
 */
import { describe, expect, it } from 'vitest';
import { gridGeometry, gridZoom } from '../plugin-frontend/src/lensboard/map-grid-layout.js';
import { paintRgb, rgbRange } from '../plugin-frontend/src/lensboard/paint-map.js';
import { activationLayout, itemMap } from '../plugin-frontend/src/lensboard/tensor-maps.js';
import { TEMPLATE_SIZE } from '../plugin-frontend/src/lensboard/lb-class-templates.js';

describe('map sizes', () => {
  it('draws a 28x28 map of one channel 3 to 4 times larger, not at 1 pixel per value', () => {
    expect(gridZoom(gridGeometry(1, 28, 28, 1), 96, 900)).toBe(3);
    expect(gridZoom(gridGeometry(1, 28, 28, 1), TEMPLATE_SIZE, 900)).toBe(4);
  });

  it('keeps a layer of many channels within the width it is given', () => {
    const grid = gridGeometry(64, 24, 24, 1);
    const zoom = gridZoom(grid, 96, 900);
    expect(grid.width * zoom).toBeLessThanOrEqual(900);
    expect(zoom).toBeGreaterThanOrEqual(1);
  });

  it('never shrinks below one pixel per value', () => {
    expect(gridZoom(gridGeometry(512, 64, 64, 1), 96, 900)).toBe(1);
  });
});

describe('colour probe inputs', () => {
  it('paints channel 0, 1 and 2 of a channels-last image as red, green and blue', () => {
    // One probe, 1x2 pixels: a red one and a blue one, values in [0, 1].
    const values = Float32Array.from([1, 0, 0, 0, 0, 1]);
    const layout = activationLayout([1, 1, 2, 3]);
    const channels = [0, 1, 2].map((c) => itemMap(values, layout, 0, c)) as [never, never, never];
    const pixels = paintRgb(channels, 0, 1);
    expect([...pixels]).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('leaves a pixel with a NaN channel transparent', () => {
    const values = Float32Array.from([NaN, 0.5, 0.5]);
    const channels = [0, 1, 2].map((c) =>
      itemMap(values, activationLayout([1, 1, 1, 3]), 0, c),
    ) as [never, never, never];
    expect([...paintRgb(channels, 0, 1)]).toEqual([0, 0, 0, 0]);
  });

  it('reads [0, 1] and [0, 255] inputs as they are meant, other ranges by their span', () => {
    const range = (min: number, max: number) => ({ min, max, count: 2, nonFinite: 0 });
    expect(rgbRange(range(0, 0.8))).toEqual({ min: 0, max: 1 });
    expect(rgbRange(range(3, 200))).toEqual({ min: 0, max: 255 });
    expect(rgbRange(range(-2, 2))).toEqual({ min: -2, max: 2 });
  });
});
